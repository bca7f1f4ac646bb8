//! The single wiring point: settings → listener, state, middleware, routes, docs → a running server.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle, Service};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::{App, HttpMessage, HttpResponse, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::access::RequestSpan;
use crate::metrics::Metrics;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use vsoko_storage::{Store, StoreOptions};

use vsoko_app::demo::DemoAccount;

use crate::config::Settings;
use crate::error;
use crate::state::AppState;

/// The largest uploaded export (`POST /api/v1/imports`), whole form and in memory.
const UPLOAD_LIMIT: usize = 20 * 1024 * 1024;

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    /// The metrics endpoint, when `metrics_bind` is set, and its port.
    metrics: Option<(Server, u16)>,
    demo_accounts: Option<Vec<DemoAccount>>,
    /// Flushed and closed once the server has stopped.
    store: Store,
    shutdown_timeout: std::time::Duration,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Opens and migrates the database, registers the shipped instruments, binds the listener and
    /// builds the server.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let metrics = Metrics::new(settings.database_url.starts_with("postgres"));
        let options = StoreOptions {
            observer: Some(metrics.clone()),
            acquire_timeout: settings.database_wait,
            ..StoreOptions::default()
        };
        let store = Store::connect_with(&settings.database_url, options)
            .await
            .with_context(|| format!("cannot open the database {}", settings.database_url))?;
        store
            .migrate()
            .await
            .context("cannot migrate the database")?;
        let (catalog, _) = crate::instruments::register(&store, settings.checklists_dir.as_deref())
            .await
            .context("cannot register the instruments")?;
        let demo_accounts = if settings.demo {
            vsoko_app::demo::seed(&store, &catalog)
                .await
                .context("cannot create the demo network")?
        } else {
            None
        };
        let targets = vsoko_app::targets::load(settings.checklists_dir.as_deref(), &catalog)
            .context("cannot read the network's targets")?;
        let app = vsoko_app::App::with_observer(store.clone(), metrics.clone())
            .with_targets(targets)
            .with_report_queue(settings.report_queue);
        let upgrade = app
            .finish_upgrade()
            .await
            .context("cannot finish the upgrade")?;
        if let Some(repair) = upgrade.counting {
            tracing::info!(
                filled = repair.filled,
                superseded = repair.superseded,
                "stored submissions brought under the counting rule"
            );
        }
        if let Some(report) = upgrade.recompute {
            tracing::info!(
                scanned = report.scanned,
                changed = report.changed,
                "cached scores recomputed"
            );
        }
        let pages = web::Data::new(app.clone());
        let web_config = web::Data::new(vsoko_web::WebConfig {
            secure_cookies: settings.behind_tls,
            trust_forwarded: settings.trust_forwarded,
            session_ttl: chrono::Duration::from_std(settings.token_ttl)
                .context("the session lifetime is too long")?,
            public_url: settings.public_url.clone(),
        });
        let state = web::Data::new(AppState {
            app,
            settings: settings.clone(),
        });
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let shutdown_timeout = settings.shutdown_timeout;
        let metrics_server = match &settings.metrics_bind {
            Some(bind) => Some(metrics_server(bind, &metrics, &pages, shutdown_timeout)?),
            None => None,
        };
        let behind_tls = settings.behind_tls;
        let known = std::sync::Arc::new(crate::methods::KnownPaths::of_document());
        let workers = settings.workers;
        let mut server = HttpServer::new(move || {
            let body_limit = settings.body_limit;
            App::new()
                .into_utoipa_app()
                .openapi(crate::openapi::base())
                .app_data(state.clone())
                .app_data(pages.clone())
                .app_data(web_config.clone())
                .app_data(web::FormConfig::default().limit(body_limit))
                .app_data(
                    web::JsonConfig::default()
                        .limit(body_limit)
                        .error_handler(error::json_error),
                )
                .app_data(web::PayloadConfig::default().limit(body_limit))
                .app_data(web::QueryConfig::default().error_handler(error::query_error))
                .app_data(web::PathConfig::default().error_handler(error::path_error))
                .app_data(
                    // Uploaded exports (`POST /imports`) are read into memory: up to 20 MiB.
                    actix_multipart::form::MultipartFormConfig::default()
                        .total_limit(UPLOAD_LIMIT)
                        .memory_limit(UPLOAD_LIMIT)
                        .error_handler(error::multipart_error),
                )
                .configure(crate::routes::configure)
                .openapi_service(|api| {
                    SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", api)
                })
                .into_app()
                .route(
                    "/docs",
                    web::get().to(|| async {
                        HttpResponse::PermanentRedirect()
                            .insert_header((header::LOCATION, "/docs/"))
                            .finish()
                    }),
                )
                .configure(vsoko_web::configure)
                // A path nobody serves: the API's problem+json under /api (and 405 for a
                // documented path asked with another method), the Russian 404 page elsewhere.
                .default_service(web::to({
                    let known = known.clone();
                    move |request: actix_web::HttpRequest| {
                        let known = known.clone();
                        async move {
                            if known.knows(request.path()) || request.path().starts_with("/api/") {
                                known.answer(&request).map_err(actix_web::Error::from)
                            } else {
                                vsoko_web::not_found().await.map_err(actix_web::Error::from)
                            }
                        }
                    }
                }))
                // Inside the tracing span, so that a page's 500 can show the request id.
                .wrap_fn(|request, service| {
                    let response = service.call(request);
                    async move { Ok(vsoko_web::error::render_error_pages(response.await?)) }
                })
                // Runs inside the tracing span, so the id is known: echo it to the client, with the
                // security headers of every response.
                .wrap_fn(move |request, service| {
                    let request_id = request.extensions().get::<RequestId>().copied();
                    let docs = request.path().starts_with("/docs");
                    let response = service.call(request);
                    async move {
                        let mut response = response.await?;
                        let headers = response.headers_mut();
                        if let Some(id) = request_id
                            && let Ok(value) = HeaderValue::from_str(&id.to_string())
                        {
                            headers.insert(HeaderName::from_static("x-request-id"), value);
                        }
                        crate::headers::secure(headers, docs, behind_tls);
                        Ok(response)
                    }
                })
                // Pages and reports compress well (a survey page: 80 KB → 10 KB).
                .wrap(actix_web::middleware::Compress::default())
                // The access event and the request metrics, inside the span.
                .wrap_fn({
                    let metrics = metrics.clone();
                    move |request, service| {
                        crate::access::observe(metrics.clone(), request, service)
                    }
                })
                .wrap(TracingLogger::<RequestSpan>::new())
        })
        .listen(listener)?
        .shutdown_timeout(shutdown_timeout.as_secs());
        if let Some(workers) = workers {
            server = server.workers(workers);
        }
        Ok(Application {
            demo_accounts,
            port,
            server: server.run(),
            metrics: metrics_server,
            store,
            shutdown_timeout,
        })
    }

    /// The port of the metrics endpoint, when it is served.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, port)| *port)
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The demo accounts created at start (`--demo` on an empty database).
    pub fn demo_accounts(&self) -> Option<&[DemoAccount]> {
        self.demo_accounts.as_deref()
    }

    /// A handle to stop the server from elsewhere (tests).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (or [`Application::handle`] stops it), then shuts down
    /// gracefully: stops accepting, lets requests in flight finish (up to the shutdown timeout),
    /// writes what is still queued for the database (up to the shutdown timeout again) and closes
    /// it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let metrics = self.metrics.map(|(server, _)| {
            let handle = server.handle();
            (tokio::spawn(server), handle)
        });
        let served = self.server.await;
        if let Some((task, handle)) = metrics {
            handle.stop(false).await;
            let _ = task.await;
        }
        if !self.store.flush(self.shutdown_timeout).await {
            tracing::error!("submissions still queued for the database were not written in time");
        }
        if let Err(error) = self.store.close().await {
            tracing::warn!(%error, "closing the database failed");
        }
        tracing::info!("stopped");
        served
    }
}

/// The metrics endpoint on its own address: `GET /metrics`, nothing else. It stops with the
/// main server, not on a signal of its own.
fn metrics_server(
    bind: &str,
    metrics: &std::sync::Arc<Metrics>,
    app: &web::Data<vsoko_app::App>,
    shutdown_timeout: std::time::Duration,
) -> anyhow::Result<(Server, u16)> {
    let listener =
        TcpListener::bind(bind).with_context(|| format!("cannot serve metrics on {bind}"))?;
    let port = listener.local_addr()?.port();
    let metrics = web::Data::new(metrics.clone());
    let app = app.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(metrics.clone())
            .app_data(app.clone())
            .route("/metrics", web::get().to(crate::metrics::serve))
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(shutdown_timeout.as_secs())
    .listen(listener)?
    .run();
    Ok((server, port))
}
