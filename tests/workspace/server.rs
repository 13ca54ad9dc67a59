//! A loopback HTTP/1.1 server that misbehaves on purpose: it answers each
//! request with whatever [`Answer`] the test gives, byte for byte, and
//! records what it was sent.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// How to answer one request.
#[derive(Clone)]
pub enum Answer {
    /// A complete answer with `Content-Length`.
    Fixed {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// `len` bytes of `x` with `status`, announced by `Content-Length`
    /// or, when `chunked`, streamed without announcing a length.
    Huge {
        status: u16,
        len: u64,
        chunked: bool,
    },
    /// A chunked body that never ends (until the client hangs up).
    Endless,
    /// A 200 announcing 1,000 bytes, sending one every `every`.
    Drip { every: Duration },
    /// The connection is closed without an answer.
    Cut,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<String>) -> Answer {
        Answer::Fixed {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.into().into_bytes(),
        }
    }

    /// An answer with any content type.
    pub fn typed(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer::Fixed {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: body.into(),
        }
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: impl Into<String>) -> Answer {
        Answer::Fixed {
            status,
            headers: vec![("location", location.into())],
            body: Vec::new(),
        }
    }
}

/// One request as received: the head (request line and headers) and body.
#[derive(Debug, Clone)]
pub struct Received {
    pub head: String,
    pub body: Vec<u8>,
}

impl Received {
    /// The request target (path and query).
    pub fn target(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or("")
    }

    /// Every value of header `name`, in order.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// Every header name, lower-cased, in order (repeats kept).
    pub fn header_names(&self) -> Vec<String> {
        self.head
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .map(|(n, _)| n.trim().to_ascii_lowercase())
            .collect()
    }
}

type Respond = dyn Fn(&Received) -> Answer + Send + Sync;

/// A server on 127.0.0.1 (port chosen by the OS), stopped on drop.
pub struct Hostile {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    accepted: Arc<Mutex<usize>>,
    task: JoinHandle<()>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Hostile {
    /// Answers every request with `respond(request)`.
    pub async fn start(respond: impl Fn(&Received) -> Answer + Send + Sync + 'static) -> Hostile {
        Self::listen(respond, None).await
    }

    /// Like [`start`](Self::start), over TLS with the certificate of
    /// `tests/fixtures/tls` (signed by its `ca.pem`, for 127.0.0.1).
    pub async fn start_tls(
        respond: impl Fn(&Received) -> Answer + Send + Sync + 'static,
    ) -> Hostile {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let _ = rustls::crypto::ring::default_provider().install_default();
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_slice_iter(include_bytes!("../fixtures/tls/server.pem"))
                .collect::<Result<_, _>>()
                .unwrap();
        let key =
            PrivateKeyDer::from_pem_slice(include_bytes!("../fixtures/tls/server.key")).unwrap();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        Self::listen(
            respond,
            Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))),
        )
        .await
    }

    async fn listen(
        respond: impl Fn(&Received) -> Answer + Send + Sync + 'static,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(Mutex::new(0));
        let respond: Arc<Respond> = Arc::new(respond);
        let (log, count) = (received.clone(), accepted.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                *count.lock().unwrap() += 1;
                let (respond, log, tls) = (respond.clone(), log.clone(), tls.clone());
                tokio::spawn(async move {
                    match tls {
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(stream).await {
                                let _ = serve(stream, &*respond, &log).await;
                            }
                        }
                        None => {
                            let _ = serve(stream, &*respond, &log).await;
                        }
                    }
                });
            }
        });
        Hostile {
            url,
            received,
            accepted,
            task,
        }
    }

    /// Answers every request alike.
    pub async fn always(answer: Answer) -> Hostile {
        Hostile::start(move |_| answer.clone()).await
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        *self.accepted.lock().unwrap()
    }
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    respond: &Respond,
    log: &Mutex<Vec<Received>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    loop {
        // One request: the head, then as many body bytes as announced.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + 4 + length {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = buf[head_end + 4..head_end + 4 + length].to_vec();
        buf.drain(..head_end + 4 + length);
        let request = Received { head, body };
        let answer = respond(&request);
        log.lock().unwrap().push(request);
        if matches!(answer, Answer::Cut) {
            return Ok(());
        }
        write_answer(&mut stream, answer).await?;
    }
}

async fn write_answer<S: AsyncWrite + Unpin>(
    stream: &mut S,
    answer: Answer,
) -> std::io::Result<()> {
    match answer {
        Answer::Fixed {
            status,
            headers,
            body,
        } => {
            let mut out = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
            for (n, v) in headers {
                out.push_str(&format!("{n}: {v}\r\n"));
            }
            out.push_str("\r\n");
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.flush().await
        }
        Answer::Huge {
            status,
            len,
            chunked,
        } => {
            let head = if chunked {
                format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
                )
            } else {
                format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {len}\r\n\r\n"
                )
            };
            stream.write_all(head.as_bytes()).await?;
            let block = vec![b'x'; 64 * 1024];
            let mut left = len;
            while left > 0 {
                let n = left.min(block.len() as u64) as usize;
                if chunked {
                    stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                    stream.write_all(&block[..n]).await?;
                    stream.write_all(b"\r\n").await?;
                } else {
                    stream.write_all(&block[..n]).await?;
                }
                left -= n as u64;
            }
            if chunked {
                stream.write_all(b"0\r\n\r\n").await?;
            }
            Ok(())
        }
        Answer::Endless => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
                .await?;
            let block = vec![b' '; 64 * 1024];
            loop {
                stream
                    .write_all(format!("{:x}\r\n", block.len()).as_bytes())
                    .await?;
                stream.write_all(&block).await?;
                stream.write_all(b"\r\n").await?;
            }
        }
        Answer::Drip { every } => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n")
                .await?;
            loop {
                tokio::time::sleep(every).await;
                stream.write_all(b" ").await?;
                stream.flush().await?;
            }
        }
        Answer::Cut => Ok(()),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
