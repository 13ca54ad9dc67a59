//! A request as it came off the wire, before anything is decoded.

use std::borrow::Cow;

/// A request as it came off the wire.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The HTTP method, e.g. `GET` or `POST`.
    pub method: &'a str,
    /// The raw query string, without the `?`.
    pub query: &'a str,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The raw body.
    pub body: &'a [u8],
    /// Every header line, names in any case, a repeated header once per
    /// value, in arrival order (only V3-signed requests need them).
    pub headers: &'a [(&'a str, &'a str)],
}

impl<'a> Incoming<'a> {
    /// Every value of header `name` (any case), in arrival order.
    pub fn header_values<'n>(&self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The value of header `name` (any case). A header sent more than once
    /// reads as all its values joined by `,` in arrival order, as HTTP
    /// combines repeated fields and as the V3 signer sees them; a caller
    /// that sent a header twice cannot have one of the two values picked
    /// silently.
    pub fn header(&self, name: &str) -> Option<Cow<'a, str>> {
        let mut values = self.header_values(name);
        let first = values.next()?;
        match values.next() {
            None => Some(Cow::Borrowed(first)),
            Some(second) => {
                let mut joined = format!("{first},{second}");
                for v in values {
                    joined.push(',');
                    joined.push_str(v);
                }
                Some(Cow::Owned(joined))
            }
        }
    }
}

/// The two methods the RPC protocol allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
}

impl Method {
    /// The method of a request, if it is one the protocol allows (any case).
    pub(crate) fn parse(method: &str) -> Option<Method> {
        if method.eq_ignore_ascii_case("GET") {
            Some(Method::Get)
        } else if method.eq_ignore_ascii_case("POST") {
            Some(Method::Post)
        } else {
            None
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_headers_read_as_one_joined_value() {
        let headers = [("Content-Type", "a"), ("host", "h"), ("content-type", "b")];
        let req = Incoming {
            method: "POST",
            query: "",
            content_type: None,
            body: b"",
            headers: &headers,
        };
        assert_eq!(req.header("HOST").as_deref(), Some("h"));
        assert_eq!(req.header("content-type").as_deref(), Some("a,b"));
        assert_eq!(
            req.header_values("CONTENT-TYPE").collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(req.header("accept"), None);
    }
}
