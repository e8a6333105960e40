//! A configured `reqwest` client for one service: timeouts, a user agent, and answers turned
//! into typed values or classed errors.

use std::time::Duration;

use reqwest::RequestBuilder;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::{ErrorKind, VendorError};

/// An answer read whole, whatever its status.
#[derive(Debug)]
pub struct Answer {
    /// Its HTTP status.
    pub status: u16,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body.
    pub body: Vec<u8>,
}

impl Answer {
    /// True for a 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[derive(Clone, Debug)]
pub struct HttpClient {
    service: &'static str,
    inner: reqwest::Client,
}

impl HttpClient {
    /// A client for `service` whose requests give up after `timeout`.
    pub fn new(service: &'static str, timeout: Duration) -> Result<Self, VendorError> {
        crate::install_crypto();
        let inner = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("negotiator/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| VendorError::new(service, ErrorKind::Connection, e.to_string()))?;
        Ok(HttpClient { service, inner })
    }

    pub fn service(&self) -> &'static str {
        self.service
    }

    /// The underlying client, to build requests.
    pub fn inner(&self) -> &reqwest::Client {
        &self.inner
    }

    /// Sends `request` and reads the whole answer. Only failing to get one is an error here; a
    /// service that classes its own refusals looks at the status itself.
    pub async fn exchange(&self, request: RequestBuilder) -> Result<Answer, VendorError> {
        let mut response = request
            .send()
            .await
            .map_err(|e| VendorError::from_reqwest(self.service, e))?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let body = response
            .bytes()
            .await
            .map_err(|e| VendorError::from_reqwest(self.service, e))?;
        Ok(Answer {
            status,
            headers,
            body: body.into(),
        })
    }

    /// Sends `request`; a non-2xx answer becomes a classed error carrying its body.
    pub async fn send(&self, request: RequestBuilder) -> Result<Answer, VendorError> {
        let answer = self.exchange(request).await?;
        if answer.is_success() {
            return Ok(answer);
        }
        Err(VendorError::from_status(
            self.service,
            answer.status,
            &answer.headers,
            &String::from_utf8_lossy(&answer.body),
        ))
    }

    /// `body` as JSON of type `T`; anything else is a [`ErrorKind::Decode`] error.
    pub fn decode<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, VendorError> {
        serde_json::from_slice(body).map_err(|e| {
            VendorError::new(
                self.service,
                ErrorKind::Decode,
                format!("unexpected answer: {e}"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    #[tokio::test]
    async fn answers_become_values_or_classed_errors() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/ok"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"n": 1})))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/busy"))
            .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/slow"))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
            .mount(&server)
            .await;
        let client = HttpClient::new("Test", Duration::from_millis(300)).unwrap();
        let url = |p: &str| format!("{}{p}", server.uri());

        let answer = client.send(client.inner().get(url("/ok"))).await.unwrap();
        let ok: serde_json::Value = client.decode(&answer.body).unwrap();
        assert_eq!(ok["n"], 1);

        let busy = client
            .send(client.inner().get(url("/busy")))
            .await
            .unwrap_err();
        assert_eq!(busy.kind, ErrorKind::RateLimited);
        assert_eq!(busy.retry_after, Some(Duration::from_secs(3)));

        let slow = client
            .send(client.inner().get(url("/slow")))
            .await
            .unwrap_err();
        assert_eq!(slow.kind, ErrorKind::Timeout);
        assert!(slow.is_retryable());

        let gone = client
            .send(client.inner().get("http://127.0.0.1:9/none"))
            .await
            .unwrap_err();
        assert_eq!(gone.kind, ErrorKind::Connection);
    }
}
