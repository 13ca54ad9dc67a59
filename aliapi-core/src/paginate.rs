//! Walking every page of a listing operation.
//!
//! Listing operations come in two kinds: those that take a page number
//! (`PageNumber` + `PageSize`) and those that hand back an opaque token to
//! send with the next call (`NextToken`). The product crates implement
//! [`Paginated`] for each of them, describing where the page facts sit in the
//! answer; [`pages`] and [`items`] then turn one request into a stream of
//! every page or every listed item.
//!
//! A walk stops at the first of these:
//!
//! * page numbers: an empty page; `page number × page size ≥ total` when both
//!   are known; as many items fetched as the total; a page with fewer items
//!   than the page size;
//! * tokens: an empty page; no token or an empty one; a token that was
//!   already sent once (so a service repeating itself cannot loop forever);
//! * either: the first error, which is the stream's last element.

use std::collections::HashSet;
use std::future::Future;

use futures_core::Stream;
use futures_util::stream::{self, TryStreamExt};

use crate::action::RpcAction;
use crate::client::Client;
use crate::error::Error;

/// How an operation is paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PageStyle {
    /// The request carries a page number, counted from 1.
    PageNumber,
    /// The answer carries a token; the next request sends it back.
    NextToken,
}

/// The page facts of one answer, as [`Paginated::page_info`] reads them.
///
/// Built with [`PageInfo::new`] and the `with_*` methods, so that facts
/// added for page styles to come are not a breaking change:
///
/// ```
/// use aliapi_core::paginate::PageInfo;
///
/// // Page 3 of 95 items, 20 of them on this page.
/// let info = PageInfo::new(20).with_page_number(Some(3)).with_total(Some(95));
/// assert_eq!(info.item_count, 20);
/// assert!(info.items_fill_page);
/// assert_eq!(info.next_token, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageInfo {
    /// The page number the service reports, if it reports one.
    pub page_number: Option<i64>,
    /// The page size the service reports, if it reports one.
    pub page_size: Option<i64>,
    /// How many items exist in all pages together, if reported.
    pub total: Option<i64>,
    /// The token to send for the next page (token style only).
    pub next_token: Option<String>,
    /// How many items this page holds.
    pub item_count: usize,
    /// Whether a full page holds `page_size` items. It is false when each
    /// item groups several paged entries (the CDN log listings, where one
    /// item per domain carries a page of log files), and then only the total
    /// and empty pages end a walk.
    pub items_fill_page: bool,
}

impl PageInfo {
    /// The facts of a page holding `item_count` items that reports nothing
    /// else; a full page holds `page_size` items.
    pub fn new(item_count: usize) -> PageInfo {
        PageInfo {
            page_number: None,
            page_size: None,
            total: None,
            next_token: None,
            item_count,
            items_fill_page: true,
        }
    }

    /// With the page number the answer reports.
    #[must_use]
    pub fn with_page_number(mut self, page_number: Option<i64>) -> Self {
        self.page_number = page_number;
        self
    }

    /// With the page size the answer reports.
    #[must_use]
    pub fn with_page_size(mut self, page_size: Option<i64>) -> Self {
        self.page_size = page_size;
        self
    }

    /// With the number of items in all pages together.
    #[must_use]
    pub fn with_total(mut self, total: Option<i64>) -> Self {
        self.total = total;
        self
    }

    /// With the token of the next page.
    #[must_use]
    pub fn with_next_token(mut self, next_token: Option<String>) -> Self {
        self.next_token = next_token;
        self
    }

    /// Whether a full page holds `page_size` items (see
    /// [`items_fill_page`](Self::items_fill_page)).
    #[must_use]
    pub fn with_items_fill_page(mut self, items_fill_page: bool) -> Self {
        self.items_fill_page = items_fill_page;
        self
    }
}

/// An empty page: [`PageInfo::new`] with no items.
impl Default for PageInfo {
    fn default() -> Self {
        PageInfo::new(0)
    }
}

/// What to send next, as [`next_step`] decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextPage {
    /// Ask for this page number.
    Page(i64),
    /// Send this token.
    Token(String),
}

/// Where a walk stands after a page was received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// The page number that was asked for (1 when the request named none).
    pub page: i64,
    /// The page size the request asked for, if it named one.
    pub requested_page_size: Option<i64>,
    /// Items received so far, this page included.
    pub fetched: u64,
}

/// A listing operation whose answers come in pages.
///
/// Implemented by the product crates for every paged operation. The methods
/// only read or set the paging fields; sending stays with the client.
pub trait Paginated: RpcAction + Clone {
    /// One listed item.
    type Item;
    /// How the operation is paged.
    const STYLE: PageStyle;

    /// The page number this request asks for, if set.
    fn requested_page(&self) -> Option<i64> {
        None
    }
    /// The page size (or maximum result count) this request asks for, if set.
    fn requested_page_size(&self) -> Option<i64> {
        None
    }
    /// Points the request at page `n` (page-number style).
    fn set_page_number(&mut self, n: i64) {
        let _ = n;
    }
    /// Sets the token of the next page (token style).
    fn set_next_token(&mut self, token: String) {
        let _ = token;
    }
    /// Reads the page facts of an answer.
    fn page_info(response: &Self::Response) -> PageInfo;
    /// Takes the listed items out of an answer.
    fn items(response: Self::Response) -> Vec<Self::Item>;
}

/// Decides, from the facts of the page just received, whether another page
/// exists and how to ask for it. `seen` holds every token sent so far.
pub fn next_step(
    style: PageStyle,
    progress: &Progress,
    info: &PageInfo,
    seen: &HashSet<String>,
) -> Option<NextPage> {
    if info.item_count == 0 {
        return None;
    }
    match style {
        PageStyle::PageNumber => {
            let size = info
                .page_size
                .or(progress.requested_page_size)
                .filter(|s| *s > 0);
            let total = info.total.filter(|t| *t >= 0);
            if let (Some(total), Some(size)) = (total, size)
                && progress.page.saturating_mul(size) >= total
            {
                return None;
            }
            if info.items_fill_page {
                if let Some(total) = total
                    && progress.fetched >= total as u64
                {
                    return None;
                }
                if let Some(size) = size
                    && (info.item_count as u64) < size as u64
                {
                    return None;
                }
            } else if total.is_none() || size.is_none() {
                // Nothing tells whether this page was the last one.
                return None;
            }
            Some(NextPage::Page(progress.page.saturating_add(1)))
        }
        PageStyle::NextToken => {
            let token = info.next_token.as_deref().filter(|t| !t.is_empty())?;
            if seen.contains(token) {
                return None;
            }
            Some(NextPage::Token(token.to_owned()))
        }
    }
}

/// Every page of `request`, sent through `client` one after another.
///
/// The stream is lazy: a page is fetched when the previous one has been
/// consumed. An error ends it. It is `Unpin`, so `next()` works on it as it
/// is.
///
/// ```no_run
/// # async fn demo<A: aliapi_core::paginate::Paginated>(client: aliapi_core::Client, request: A)
/// # -> Result<(), aliapi_core::Error>
/// # where A::Response: std::fmt::Debug {
/// use futures_util::{StreamExt, TryStreamExt};
///
/// // All at once:
/// let pages: Vec<A::Response> = aliapi_core::paginate::pages(&client, request.clone())
///     .try_collect()
///     .await?;
/// # let _ = pages;
/// // Or one at a time:
/// let mut pages = aliapi_core::paginate::pages(&client, request);
/// while let Some(page) = pages.next().await {
///     println!("{:?}", page?);
/// }
/// # Ok(())
/// # }
/// ```
pub fn pages<A: Paginated>(
    client: &Client,
    request: A,
) -> impl Stream<Item = Result<A::Response, Error>> + Unpin + use<A> {
    let client = client.clone();
    pages_with(request, move |request: A| {
        let client = client.clone();
        async move { client.send(&request).await }
    })
}

/// Every listed item of `request`, over all pages, sent through `client`.
///
/// ```no_run
/// # async fn demo<A: aliapi_core::paginate::Paginated>(client: aliapi_core::Client, request: A)
/// # -> Result<(), aliapi_core::Error> {
/// use futures_util::TryStreamExt;
///
/// let all: Vec<A::Item> = aliapi_core::paginate::items(&client, request).try_collect().await?;
/// # let _ = all;
/// # Ok(())
/// # }
/// ```
pub fn items<A: Paginated>(
    client: &Client,
    request: A,
) -> impl Stream<Item = Result<A::Item, Error>> + Unpin + use<A> {
    pages(client, request)
        .map_ok(|page| stream::iter(A::items(page).into_iter().map(Ok)))
        .try_flatten()
}

struct Walk<A, F> {
    request: A,
    fetch: F,
    progress: Progress,
    seen: HashSet<String>,
    done: bool,
}

/// Every page of `request`, fetched one after another with `fetch`.
///
/// This is [`pages`] with the sending left to the caller, e.g. a client of
/// your own or a test double. `fetch` gets each request in turn.
pub fn pages_with<A, F, Fut>(
    request: A,
    fetch: F,
) -> impl Stream<Item = Result<A::Response, Error>> + Unpin
where
    A: Paginated,
    F: FnMut(A) -> Fut,
    Fut: Future<Output = Result<A::Response, Error>>,
{
    let progress = Progress {
        page: request.requested_page().unwrap_or(1),
        requested_page_size: request.requested_page_size(),
        fetched: 0,
    };
    let walk = Walk {
        request,
        fetch,
        progress,
        seen: HashSet::new(),
        done: false,
    };
    // Boxed so that the stream is `Unpin`: `next()` works on it as it is,
    // without pinning it first, for one allocation per walk.
    Box::pin(stream::unfold(walk, |mut walk| async move {
        if walk.done {
            return None;
        }
        let response = match (walk.fetch)(walk.request.clone()).await {
            Ok(response) => response,
            Err(err) => {
                walk.done = true;
                return Some((Err(err), walk));
            }
        };
        let info = A::page_info(&response);
        walk.progress.fetched = walk.progress.fetched.saturating_add(info.item_count as u64);
        match next_step(A::STYLE, &walk.progress, &info, &walk.seen) {
            Some(NextPage::Page(n)) => {
                walk.request.set_page_number(n);
                walk.progress.page = n;
            }
            Some(NextPage::Token(token)) => {
                walk.seen.insert(token.clone());
                walk.request.set_next_token(token);
            }
            None => walk.done = true,
        }
        Some((Ok(response), walk))
    }))
}

/// Every listed item of `request`, over all pages fetched with `fetch`.
pub fn items_with<A, F, Fut>(
    request: A,
    fetch: F,
) -> impl Stream<Item = Result<A::Item, Error>> + Unpin
where
    A: Paginated,
    F: FnMut(A) -> Fut,
    Fut: Future<Output = Result<A::Response, Error>>,
{
    pages_with(request, fetch)
        .map_ok(|page| stream::iter(A::items(page).into_iter().map(Ok)))
        .try_flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn page(count: usize, total: Option<i64>, size: Option<i64>) -> PageInfo {
        PageInfo::new(count).with_total(total).with_page_size(size)
    }

    fn at(page: i64, fetched: u64) -> Progress {
        Progress {
            page,
            requested_page_size: None,
            fetched,
        }
    }

    const P: PageStyle = PageStyle::PageNumber;
    const T: PageStyle = PageStyle::NextToken;

    #[test]
    fn page_style_stops_on_empty_page() {
        let none = HashSet::new();
        assert_eq!(
            next_step(P, &at(1, 0), &page(0, Some(100), Some(10)), &none),
            None
        );
    }

    #[test]
    fn page_style_stops_when_total_is_reached() {
        let none = HashSet::new();
        assert_eq!(
            next_step(P, &at(1, 10), &page(10, Some(35), Some(10)), &none),
            Some(NextPage::Page(2))
        );
        assert_eq!(
            next_step(P, &at(4, 35), &page(5, Some(35), Some(10)), &none),
            None
        );
        // Exactly full: 3 pages of 10 for a total of 30.
        assert_eq!(
            next_step(P, &at(3, 30), &page(10, Some(30), Some(10)), &none),
            None
        );
    }

    #[test]
    fn page_style_stops_on_short_page_without_total() {
        let none = HashSet::new();
        assert_eq!(
            next_step(P, &at(1, 10), &page(10, None, Some(10)), &none),
            Some(NextPage::Page(2))
        );
        assert_eq!(
            next_step(P, &at(2, 13), &page(3, None, Some(10)), &none),
            None
        );
    }

    #[test]
    fn page_style_uses_requested_size_when_the_answer_has_none() {
        let none = HashSet::new();
        let progress = Progress {
            page: 2,
            requested_page_size: Some(5),
            fetched: 10,
        };
        assert_eq!(
            next_step(P, &progress, &page(5, Some(10), None), &none),
            None
        );
        assert_eq!(
            next_step(P, &progress, &page(5, Some(11), None), &none),
            Some(NextPage::Page(3))
        );
    }

    #[test]
    fn page_style_stops_when_fetched_reaches_total_without_size() {
        let none = HashSet::new();
        assert_eq!(
            next_step(P, &at(1, 20), &page(20, Some(40), None), &none),
            Some(NextPage::Page(2))
        );
        assert_eq!(
            next_step(P, &at(2, 40), &page(20, Some(40), None), &none),
            None
        );
    }

    #[test]
    fn grouped_items_rely_on_total_only() {
        let none = HashSet::new();
        let mut info = page(1, Some(700), Some(300));
        info.items_fill_page = false;
        // One group per page is not a short page.
        assert_eq!(
            next_step(P, &at(1, 1), &info, &none),
            Some(NextPage::Page(2))
        );
        assert_eq!(next_step(P, &at(3, 3), &info, &none), None);
        // Without a total there is no telling: stop rather than loop.
        info.total = None;
        assert_eq!(next_step(P, &at(1, 1), &info, &none), None);
    }

    #[test]
    fn token_style_follows_new_tokens_only() {
        let mut seen = HashSet::new();
        let mut info = page(3, None, None);
        info.next_token = Some("t2".into());
        assert_eq!(
            next_step(T, &at(1, 3), &info, &seen),
            Some(NextPage::Token("t2".into()))
        );
        seen.insert("t2".to_owned());
        assert_eq!(next_step(T, &at(1, 6), &info, &seen), None);
        info.next_token = Some(String::new());
        assert_eq!(next_step(T, &at(1, 6), &info, &HashSet::new()), None);
        info.next_token = None;
        assert_eq!(next_step(T, &at(1, 6), &info, &HashSet::new()), None);
        info.next_token = Some("t3".into());
        info.item_count = 0;
        assert_eq!(next_step(T, &at(1, 6), &info, &HashSet::new()), None);
    }

    /// A listing of numbers, paged by page number over `ALL`.
    #[derive(Debug, Clone, PartialEq)]
    struct ListNumbers {
        page: Option<i64>,
        size: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Numbers {
        page: i64,
        total: i64,
        numbers: Vec<u32>,
    }

    const ALL: u32 = 23;

    impl RpcAction for ListNumbers {
        const PRODUCT: &'static str = "Test";
        const VERSION: &'static str = "2020-01-01";
        const ACTION: &'static str = "ListNumbers";
        const METHOD: crate::Method = crate::Method::Post;
        const ENDPOINT: crate::EndpointRule = crate::EndpointRule::central("test.invalid");
        type Response = Numbers;
        fn write_params(&self, _out: &mut crate::ParamWriter) -> Result<(), Error> {
            Ok(())
        }
    }

    impl Paginated for ListNumbers {
        type Item = u32;
        const STYLE: PageStyle = PageStyle::PageNumber;
        fn requested_page(&self) -> Option<i64> {
            self.page
        }
        fn requested_page_size(&self) -> Option<i64> {
            Some(self.size)
        }
        fn set_page_number(&mut self, n: i64) {
            self.page = Some(n);
        }
        fn page_info(response: &Numbers) -> PageInfo {
            PageInfo::new(response.numbers.len())
                .with_page_number(Some(response.page))
                .with_total(Some(response.total))
        }
        fn items(response: Numbers) -> Vec<u32> {
            response.numbers
        }
    }

    fn serve(request: ListNumbers) -> std::future::Ready<Result<Numbers, Error>> {
        let page = request.page.unwrap_or(1);
        let start = ((page - 1) * request.size) as u32;
        let end = (start + request.size as u32).min(ALL);
        std::future::ready(Ok(Numbers {
            page,
            total: ALL.into(),
            numbers: (start.min(end)..end).collect(),
        }))
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn pages_walks_until_the_total_and_items_flatten() {
        let request = ListNumbers {
            page: None,
            size: 5,
        };
        let pages: Vec<Numbers> =
            block_on(pages_with(request.clone(), serve).try_collect()).unwrap();
        assert_eq!(
            pages.iter().map(|p| p.page).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        let items: Vec<u32> = block_on(items_with(request, serve).try_collect()).unwrap();
        assert_eq!(items, (0..ALL).collect::<Vec<_>>());
    }

    #[test]
    fn pages_starts_at_the_requested_page() {
        let request = ListNumbers {
            page: Some(4),
            size: 5,
        };
        let items: Vec<u32> = block_on(items_with(request, serve).try_collect()).unwrap();
        assert_eq!(items, (15..ALL).collect::<Vec<_>>());
    }

    #[test]
    fn pages_ends_after_the_first_error() {
        let mut calls = 0;
        let fetch = |request: ListNumbers| {
            calls += 1;
            let result = if request.page == Some(2) {
                Err(Error::Config("page two is broken".into()))
            } else {
                Ok(Numbers {
                    page: 1,
                    total: 100,
                    numbers: vec![1, 2, 3, 4, 5],
                })
            };
            std::future::ready(result)
        };
        let got: Vec<Result<Numbers, Error>> = block_on(
            pages_with(
                ListNumbers {
                    page: None,
                    size: 5,
                },
                fetch,
            )
            .collect(),
        );
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        assert!(matches!(got[1], Err(Error::Config(_))));
        assert_eq!(calls, 2);
    }
}
