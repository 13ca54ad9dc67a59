//! Reading an operation's arguments: what product handlers share when they
//! take params apart.

use crate::params::Params;
use crate::refusal::operation::{invalid_param, missing_param};
use crate::reply::ApiError;

/// The value of a param the operation cannot do without.
pub fn required<'a>(p: &'a Params, name: &str) -> Result<&'a str, ApiError> {
    p.get(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing_param(name))
}

/// `Tag.N.Key` / `Tag.N.Value` pairs, refusing a tag without a key.
pub fn tags_param(p: &Params) -> Result<Vec<(String, Option<String>)>, ApiError> {
    p.object_list("Tag")
        .into_iter()
        .enumerate()
        .map(
            |(i, mut t)| match t.remove("Key").filter(|k| !k.is_empty()) {
                Some(k) => Ok((k, t.remove("Value"))),
                None => Err(missing_param(&format!("Tag.{}.Key", i + 1))),
            },
        )
        .collect()
}

/// Tags to set: `Tag.N.Key` / `Tag.N.Value`, a missing value read as empty.
pub fn tags_to_set(p: &Params) -> Result<Vec<(String, String)>, ApiError> {
    Ok(tags_param(p)?
        .into_iter()
        .map(|(k, v)| (k, v.unwrap_or_default()))
        .collect())
}

/// `PageNumber` and `PageSize` with the operation's default and maximum,
/// refused as `InvalidParameter`.
pub fn paging(p: &Params, default_size: i64, max_size: i64) -> Result<(i64, i64), ApiError> {
    page_request(p, default_size, max_size).map_err(|bad| match bad {
        BadPage::Number => invalid_param("PageNumber", "it must be a whole number from 1"),
        BadPage::Size { max } => invalid_param("PageSize", &format!("it must be from 1 to {max}")),
    })
}

/// Which paging param is out of range, for operations that refuse each
/// with a code of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadPage {
    /// `PageNumber` is not a whole number from 1.
    Number,
    /// `PageSize` is not from 1 to `max`.
    Size {
        /// The largest page the operation serves.
        max: i64,
    },
}

/// `PageNumber` and `PageSize` with the operation's default and maximum.
pub fn page_request(p: &Params, default_size: i64, max_size: i64) -> Result<(i64, i64), BadPage> {
    let number = match p.get("PageNumber") {
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or(BadPage::Number)?,
        None => 1,
    };
    let size = match p.get("PageSize") {
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max_size).contains(n))
            .ok_or(BadPage::Size { max: max_size })?,
        None => default_size,
    };
    Ok((number, size))
}

/// A `NextToken` / `MaxResults` page: where it starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPage {
    /// The index of its first item.
    pub start: usize,
    /// How many items it holds at most.
    pub size: usize,
}

/// Which token paging param is out of range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadToken {
    /// `NextToken` was not handed out by this service.
    Token,
    /// `MaxResults` is not from 1 to `max`.
    Size {
        /// The largest page the operation serves.
        max: usize,
    },
}

/// `NextToken` and `MaxResults` with the operation's default and maximum.
/// The emulator's tokens are the index of the next item, in decimal.
pub fn token_request(
    p: &Params,
    default_size: usize,
    max_size: usize,
) -> Result<TokenPage, BadToken> {
    let start = match p.get("NextToken").filter(|t| !t.is_empty()) {
        Some(t) => t.parse::<usize>().map_err(|_| BadToken::Token)?,
        None => 0,
    };
    let size = match p.get("MaxResults") {
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max_size).contains(n))
            .ok_or(BadToken::Size { max: max_size })?,
        None => default_size,
    };
    Ok(TokenPage { start, size })
}

impl TokenPage {
    /// The items of this page and the token of the next (empty after the
    /// last page); `None` when the page starts past the end, which no
    /// token this service handed out does.
    pub fn of<'t, T>(&self, items: &'t [T]) -> Option<(&'t [T], String)> {
        if self.start > items.len() {
            return None;
        }
        let end = self.start.saturating_add(self.size).min(items.len());
        let next = if end < items.len() {
            end.to_string()
        } else {
            String::new()
        };
        Some((&items[self.start..end], next))
    }
}

/// The slice of `items` on one page.
pub fn page_of<T: Clone>(items: &[T], number: i64, size: i64) -> Vec<T> {
    let start = (number - 1).saturating_mul(size);
    if start < 0 || start as usize >= items.len() {
        return Vec::new();
    }
    items
        .iter()
        .skip(start as usize)
        .take(size as usize)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_bounds() {
        let p = Params::from_pairs([("PageSize", "0")]);
        assert_eq!(paging(&p, 10, 50).unwrap_err().code, "InvalidParameter");
        let p = Params::from_pairs([("PageNumber", "2"), ("PageSize", "2")]);
        assert_eq!(paging(&p, 10, 50).unwrap(), (2, 2));
        assert_eq!(paging(&Params::default(), 10, 50).unwrap(), (1, 10));
        assert_eq!(page_of(&[1, 2, 3, 4, 5], 2, 2), [3, 4]);
        assert!(page_of(&[1, 2, 3], 9, 2).is_empty());
    }

    #[test]
    fn token_pages() {
        let items = [1, 2, 3, 4, 5];
        let first = token_request(&Params::from_pairs([("MaxResults", "2")]), 20, 100).unwrap();
        assert_eq!(first.of(&items), Some((&items[..2], "2".to_owned())));
        let last = token_request(
            &Params::from_pairs([("MaxResults", "2"), ("NextToken", "4")]),
            20,
            100,
        )
        .unwrap();
        assert_eq!(last.of(&items), Some((&items[4..], String::new())));
        let all = token_request(&Params::default(), 20, 100).unwrap();
        assert_eq!(all.of(&items), Some((&items[..], String::new())));
        let past = token_request(&Params::from_pairs([("NextToken", "6")]), 20, 100).unwrap();
        assert_eq!(past.of(&items), None);
        assert_eq!(
            token_request(&Params::from_pairs([("NextToken", "x")]), 20, 100),
            Err(BadToken::Token)
        );
        assert_eq!(
            token_request(&Params::from_pairs([("MaxResults", "101")]), 20, 100),
            Err(BadToken::Size { max: 100 })
        );
    }

    #[test]
    fn tags() {
        let p = Params::from_pairs([("Tag.2.Key", "b"), ("Tag.1.Key", "a"), ("Tag.1.Value", "x")]);
        assert_eq!(
            tags_param(&p).unwrap(),
            [
                ("a".to_owned(), Some("x".to_owned())),
                ("b".to_owned(), None)
            ]
        );
        assert_eq!(tags_to_set(&p).unwrap()[1], ("b".to_owned(), String::new()));
        let keyless = Params::from_pairs([("Tag.1.Value", "x")]);
        assert!(
            tags_param(&keyless)
                .unwrap_err()
                .message
                .contains("Tag.1.Key")
        );
        assert_eq!(required(&p, "Tag.1.Key"), Ok("a"));
        assert_eq!(required(&p, "Nope").unwrap_err().code, "MissingParameter");
    }
}
