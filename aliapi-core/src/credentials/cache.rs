//! Caching of temporary credentials with single-flight refresh.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use crate::clock::SharedTimeSource;

/// How long before `Expiration` cached keys are refreshed, by default.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(180);

/// After a failed refresh while the old keys still work, how long they are
/// served before the next attempt, by default.
pub const DEFAULT_FAILURE_BACKOFF: Duration = Duration::from_secs(10);

#[derive(Clone)]
struct Entry {
    credentials: Credentials,
    /// From when a refresh is due; `None` for keys that never expire.
    refresh_at: Option<SystemTime>,
    /// After a failed refresh: no new attempt before this instant.
    retry_after: Option<SystemTime>,
}

impl Entry {
    /// The keys, when they may be served at `now` without a refresh.
    fn usable(&self, now: SystemTime) -> Option<Credentials> {
        let fresh = self.refresh_at.is_none_or(|at| now < at);
        let backing_off = self.retry_after.is_some_and(|t| now < t) && self.still_valid(now);
        (fresh || backing_off).then(|| self.credentials.clone())
    }

    fn still_valid(&self, now: SystemTime) -> bool {
        self.credentials.expiration().is_none_or(|exp| now < exp)
    }
}

/// What [`LazyCache::due`] found.
enum Due<'a> {
    /// The cached keys serve.
    No(Credentials),
    /// A refresh is due: the refresh lock (with any fetch a dropped caller
    /// left in it) and the entry as it stood under the lock.
    Yes {
        pending: tokio::sync::MutexGuard<'a, Option<ProvideFuture<'static>>>,
        old: Option<Entry>,
    },
}

/// A cache for one set of temporary credentials.
///
/// [`get_or_refresh`](Self::get_or_refresh) serves the cached keys until
/// `refresh_before` ahead of their expiration (or halfway through their
/// lifetime, when that is shorter), then fetches new ones. Only one fetch
/// runs at a time: callers arriving while it runs wait for it and share its
/// result. When a fetch fails but the old keys have not expired, the old keys
/// are served and no new attempt is made for a short back-off period.
pub struct LazyCache {
    time: SharedTimeSource,
    refresh_before: Duration,
    failure_backoff: Duration,
    current: Mutex<Option<Entry>>,
    /// Held by whoever refreshes; it keeps a fetch that
    /// [`get_or_refresh_owned`](Self::get_or_refresh_owned) started and
    /// whose caller was dropped, for the next holder to go on with.
    refreshing: tokio::sync::Mutex<Option<ProvideFuture<'static>>>,
}

impl Default for LazyCache {
    fn default() -> Self {
        Self::new(DEFAULT_REFRESH_BEFORE)
    }
}

impl LazyCache {
    /// An empty cache refreshing `refresh_before` ahead of expiration.
    pub fn new(refresh_before: Duration) -> Self {
        LazyCache {
            time: SharedTimeSource::system(),
            refresh_before,
            failure_backoff: DEFAULT_FAILURE_BACKOFF,
            current: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(None),
        }
    }

    /// Tells time by `time` instead of the system clock.
    pub fn with_time_source(mut self, time: SharedTimeSource) -> Self {
        self.time = time;
        self
    }

    /// Sets how long old keys are served after a failed refresh before the
    /// next attempt.
    pub fn with_failure_backoff(mut self, backoff: Duration) -> Self {
        self.failure_backoff = backoff;
        self
    }

    /// The margin ahead of expiration at which keys are refreshed.
    pub fn refresh_before(&self) -> Duration {
        self.refresh_before
    }

    fn entry(&self) -> Option<Entry> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn store(&self, entry: Entry) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(entry);
    }

    /// The cached keys when they need no refresh now.
    pub fn cached(&self) -> Option<Credentials> {
        self.entry()?.usable(self.time.now())
    }

    /// Forgets the cached keys; the next call fetches.
    pub fn clear(&self) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The cached keys, or new ones from `fetch` when a refresh is due.
    ///
    /// The fetch runs in the caller's future: a caller dropped while it
    /// runs (a timeout, a `select!`) ends it, and the next caller starts
    /// anew. [`get_or_refresh_owned`](Self::get_or_refresh_owned) keeps it.
    pub async fn get_or_refresh<F, Fut>(&self, fetch: F) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        let (_only_one, old) = match self.due().await {
            Due::No(c) => return Ok(c),
            Due::Yes { pending, old } => (pending, old),
        };
        let result = fetch().await;
        self.settle(old, result)
    }

    /// As [`get_or_refresh`](Self::get_or_refresh), with a fetch the cache
    /// owns: when the caller driving it is dropped (its deadline passed,
    /// it lost a `select!`), the fetch stays where it got to and the next
    /// caller goes on with it. A fetch slower than every caller's deadline
    /// still ends, instead of starting over for each of them.
    pub async fn get_or_refresh_owned<F>(&self, start: F) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> ProvideFuture<'static>,
    {
        let (mut pending, old) = match self.due().await {
            Due::No(c) => return Ok(c),
            Due::Yes { pending, old } => (pending, old),
        };
        let fetch = pending.get_or_insert_with(start);
        let result = fetch.await;
        *pending = None;
        self.settle(old, result)
    }

    /// Whether a refresh is due; when it is, with the refresh lock held.
    async fn due(&self) -> Due<'_> {
        if let Some(c) = self.cached() {
            return Due::No(c);
        }
        let pending = self.refreshing.lock().await;
        // Whoever held the lock before may have refreshed already.
        let old = self.entry();
        match old.as_ref().and_then(|e| e.usable(self.time.now())) {
            Some(c) => Due::No(c),
            None => Due::Yes { pending, old },
        }
    }

    /// Keeps what a fetch gave, or serves the `old` keys after a failure
    /// while they are still valid.
    fn settle(
        &self,
        old: Option<Entry>,
        result: Result<Credentials, CredentialsError>,
    ) -> Result<Credentials, CredentialsError> {
        match result {
            Ok(credentials) => {
                let fetched_at = self.time.now();
                let refresh_at = credentials.expiration().map(|exp| {
                    let lifetime = exp.duration_since(fetched_at).unwrap_or(Duration::ZERO);
                    let margin = self.refresh_before.min(lifetime / 2);
                    let due = exp.checked_sub(margin).unwrap_or(exp);
                    // Keys that come expired would be due at once, and
                    // fetched again on every call from a provider that
                    // will give them again (the metadata service throttles
                    // such a loop): they are due after the back-off, and
                    // used meanwhile. If they are expired, the service says
                    // so, more plainly than a refusal here could.
                    if due <= fetched_at {
                        fetched_at + self.failure_backoff
                    } else {
                        due
                    }
                });
                if credentials
                    .expiration()
                    .is_some_and(|exp| exp <= fetched_at)
                {
                    tracing::warn!(
                        provider = credentials.provider_name(),
                        backoff_secs = self.failure_backoff.as_secs(),
                        "the credentials fetched have expired already (is the local clock right?); \
                         they are used until the next fetch"
                    );
                }
                self.store(Entry {
                    credentials: credentials.clone(),
                    refresh_at,
                    retry_after: None,
                });
                Ok(credentials)
            }
            Err(error) => {
                let now = self.time.now();
                match old {
                    Some(mut entry) if entry.still_valid(now) => {
                        tracing::warn!(
                            provider = entry.credentials.provider_name(),
                            %error,
                            "refreshing credentials failed; the current ones are still valid and are used meanwhile"
                        );
                        entry.retry_after = Some(now + self.failure_backoff);
                        let c = entry.credentials.clone();
                        self.store(entry);
                        Ok(c)
                    }
                    _ => Err(error),
                }
            }
        }
    }
}

impl fmt::Debug for LazyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entry = self.entry();
        f.debug_struct("LazyCache")
            .field("refresh_before", &self.refresh_before)
            .field("cached", &entry.as_ref().map(|e| &e.credentials))
            .finish()
    }
}

/// Any provider, with its answers cached by a [`LazyCache`].
///
/// Useful for a provider of your own that fetches temporary keys on every
/// call; the providers of this module that fetch keys cache them already.
#[derive(Debug)]
pub struct CachedProvider<P> {
    /// Shared with a fetch in flight, which outlives the call that started
    /// it (see [`LazyCache::get_or_refresh_owned`]).
    source: Arc<P>,
    cache: LazyCache,
}

impl<P: ProvideCredentials> CachedProvider<P> {
    /// Caches `source`, refreshing [`DEFAULT_REFRESH_BEFORE`] ahead of expiry.
    pub fn new(source: P) -> Self {
        Self::with_cache(source, LazyCache::default())
    }

    /// Caches `source` in `cache` (to choose its refresh margin).
    pub fn with_cache(source: P, cache: LazyCache) -> Self {
        CachedProvider {
            source: Arc::new(source),
            cache,
        }
    }

    /// The wrapped provider.
    pub fn source(&self) -> &P {
        &self.source
    }
}

impl<P: ProvideCredentials + 'static> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.cache.get_or_refresh_owned(|| {
            let source = self.source.clone();
            Box::pin(async move { source.provide_credentials().await })
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn temp(id: &str, lifetime: Duration) -> Credentials {
        Credentials::with_security_token(id, "secret", "token", Some(SystemTime::now() + lifetime))
    }

    /// A manual clock, and keys from it that expire `secs` after its now
    /// (before it, when negative).
    fn manual_clock() -> crate::clock::ManualClock {
        crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1 << 30))
    }

    fn keys_expiring(clock: &crate::clock::ManualClock, secs: i64) -> Credentials {
        let now = SharedTimeSource::from(clock.clone()).now();
        let at = if secs >= 0 {
            now + Duration::from_secs(secs as u64)
        } else {
            now - Duration::from_secs(secs.unsigned_abs())
        };
        Credentials::with_security_token("a", "s", "t", Some(at))
    }

    fn failed() -> CredentialsError {
        CredentialsError::Failed {
            provider: "test",
            reason: "down".into(),
        }
    }

    #[tokio::test]
    async fn serves_cached_until_refresh_is_due() {
        let cache = LazyCache::new(Duration::from_secs(60));
        let calls = AtomicUsize::new(0);
        for _ in 0..5 {
            let c = cache
                .get_or_refresh(|| async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    Ok(temp("a", Duration::from_secs(3600)))
                })
                .await
                .unwrap();
            assert_eq!(c.access_key_id(), "a");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn keys_that_come_expired_are_fetched_again_once_per_backoff() {
        let clock = manual_clock();
        let cache = LazyCache::new(Duration::from_secs(60))
            .with_time_source(clock.clone().into())
            .with_failure_backoff(Duration::from_secs(10));
        let calls = AtomicUsize::new(0);
        let mut fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(keys_expiring(&clock, -1))
        };
        for _ in 0..3 {
            let c = cache.get_or_refresh(&mut fetch).await.unwrap();
            assert_eq!(c.access_key_id(), "a", "used, for the service to judge");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "not fetched again at once");
        clock.advance(Duration::from_secs(9));
        cache.get_or_refresh(&mut fetch).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        clock.advance(Duration::from_secs(1));
        cache.get_or_refresh(&mut fetch).await.unwrap();
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "fetched again after the back-off"
        );
    }

    #[tokio::test]
    async fn keys_inside_the_margin_are_refetched_when_due() {
        let clock = manual_clock();
        let cache = LazyCache::new(Duration::from_secs(60)).with_time_source(clock.clone().into());
        let calls = AtomicUsize::new(0);
        // Forty seconds left: due at half of that, twenty seconds on.
        let mut fetch = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Ok(keys_expiring(&clock, 40))
        };
        cache.get_or_refresh(&mut fetch).await.unwrap();
        clock.advance(Duration::from_secs(19));
        cache.get_or_refresh(&mut fetch).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        clock.advance(Duration::from_secs(1));
        cache.get_or_refresh(&mut fetch).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failed_refresh_serves_valid_old_keys_then_backs_off() {
        let cache =
            LazyCache::new(Duration::from_secs(3000)).with_failure_backoff(Duration::from_secs(60));
        // Lifetime 1 h, margin capped to half of it: due after 30 min. Force
        // "due" by storing keys whose refresh time has passed.
        cache.store(Entry {
            credentials: temp("old", Duration::from_secs(600)),
            refresh_at: Some(SystemTime::now() - Duration::from_secs(1)),
            retry_after: None,
        });
        let calls = AtomicUsize::new(0);
        for _ in 0..3 {
            let c = cache
                .get_or_refresh(|| async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    Err(failed())
                })
                .await
                .unwrap();
            assert_eq!(c.access_key_id(), "old");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "backs off after a failure");
    }

    #[tokio::test]
    async fn failed_refresh_of_expired_keys_is_an_error() {
        let cache = LazyCache::default();
        cache.store(Entry {
            credentials: temp("old", Duration::ZERO),
            refresh_at: Some(SystemTime::now() - Duration::from_secs(1)),
            retry_after: None,
        });
        let err = cache
            .get_or_refresh(|| async { Err(failed()) })
            .await
            .unwrap_err();
        assert_eq!(err, failed());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(LazyCache::default());
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let cache = cache.clone();
            let calls = calls.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_refresh(|| async {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(temp("x", Duration::from_secs(3600)))
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().access_key_id(), "x");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    // Tokio's clock is paused: the timings below are exact.
    #[tokio::test(start_paused = true)]
    async fn an_owned_fetch_goes_on_when_its_callers_are_dropped() {
        let cache = LazyCache::default();
        let started = Arc::new(AtomicUsize::new(0));
        // A fetch of 250 ms; callers that give up after 100 ms each.
        let start = || -> ProvideFuture<'static> {
            let started = started.clone();
            Box::pin(async move {
                started.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(250)).await;
                Ok(temp("slow", Duration::from_secs(3600)))
            })
        };
        let mut attempts = 0;
        let keys = loop {
            attempts += 1;
            let call = cache.get_or_refresh_owned(start);
            match tokio::time::timeout(Duration::from_millis(100), call).await {
                Ok(keys) => break keys.unwrap(),
                Err(_) => assert!(attempts < 10, "the fetch never ends"),
            }
        };
        assert_eq!(keys.access_key_id(), "slow");
        assert_eq!(started.load(Ordering::SeqCst), 1, "one fetch, gone on with");
        assert_eq!(attempts, 3, "100 + 100 + 50 ms of one fetch");
    }

    #[test]
    fn debug_hides_secrets() {
        let cache = LazyCache::default();
        cache.store(Entry {
            credentials: Credentials::with_security_token("id", "SECRET-XYZ", "TOKEN-XYZ", None),
            refresh_at: None,
            retry_after: None,
        });
        let shown = format!("{cache:?}");
        assert!(shown.contains("id"));
        assert!(!shown.contains("SECRET-XYZ") && !shown.contains("TOKEN-XYZ"));
    }
}
