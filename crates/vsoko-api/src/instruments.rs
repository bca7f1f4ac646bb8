//! The instruments a server registers at start: the shipped ones (embedded in the binary) and a
//! deployment's own, from `--checklists DIR`.

use std::path::Path;

use vsoko_checklist::Catalog;
use vsoko_storage::{Registration, Store};

/// Registers the shipped instruments and those of `dir`; returns them all and what was new. A
/// version in `dir` that is also shipped must be the same file.
pub async fn register(
    store: &Store,
    dir: Option<&Path>,
) -> anyhow::Result<(Catalog, Registration)> {
    let shipped = Catalog::shipped()?;
    let mut catalog = shipped.clone();
    let mut total = store
        .register_catalog(&shipped, Path::new("(shipped)/checklists"))
        .await?;
    if let Some(dir) = dir {
        let local = Catalog::load_dir(dir)?;
        catalog.merge(local.clone(), &dir.display().to_string())?;
        let registration = store.register_catalog(&local, dir).await?;
        total.added.extend(registration.added);
        total.unchanged.extend(registration.unchanged);
    }
    tracing::info!(
        added = total.added.len(),
        unchanged = total.unchanged.len(),
        "instruments registered"
    );
    Ok((catalog, total))
}
