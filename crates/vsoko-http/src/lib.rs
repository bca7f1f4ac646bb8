//! Request plumbing the web pages and the JSON API share, below both: the client's address (for
//! throttling sign-ins and answers through links) and who made a request (for the access log and
//! the request's tracing span).

use actix_web::{HttpMessage, HttpRequest};

/// The account a request was made by, once its session or token is checked: for the access log
/// (put into the request's extensions by [`note_user`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestUser(pub vsoko_domain::UserId);

/// Notes who made `request`: in its extensions (the access log reads it there) and in the
/// request's tracing span (the other events of the request carry it).
pub fn note_user(request: &HttpRequest, user: vsoko_domain::UserId) {
    request.extensions_mut().insert(RequestUser(user));
    tracing::Span::current().record("user_id", user.get());
}

/// The client's address: the connection's peer, or — behind a proxy the server trusts
/// (`trust_forwarded`) — the address the proxy forwarded.
pub fn client_address(request: &HttpRequest, trust_forwarded: bool) -> Option<String> {
    if trust_forwarded {
        let info = request.connection_info();
        let address = info.realip_remote_addr()?;
        Some(match address.parse::<std::net::SocketAddr>() {
            Ok(socket) => socket.ip().to_string(),
            Err(_) => address.to_owned(),
        })
    } else {
        request.peer_addr().map(|address| address.ip().to_string())
    }
}
