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
