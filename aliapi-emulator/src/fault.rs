//! Fault injection for reliability tests: throttling, outages, slow answers
//! and broken connections, drawn from a seeded generator so that a failing
//! run can be replayed.

use std::time::Duration;

use crate::rng::SplitMix64;

/// What to inject, and how often. Rates are fractions of all requests in
/// `[0, 1]`; their sum should not exceed 1 (the excess is ignored).
#[derive(Debug, Clone, PartialEq)]
pub struct FaultConfig {
    /// Share of requests answered `Throttling.User` (HTTP 400) without
    /// being processed.
    pub throttle_rate: f64,
    /// Share of requests answered `ServiceUnavailable` (HTTP 503) without
    /// being processed.
    pub unavailable_rate: f64,
    /// Share of requests that are processed (their effect is kept) but whose
    /// connection is closed halfway through the answer.
    pub disconnect_rate: f64,
    /// Delay added before every answer.
    pub latency: Duration,
    /// Up to this much more delay, drawn uniformly per request.
    pub latency_jitter: Duration,
    /// Seed of the generator; the same seed and the same request order give
    /// the same faults.
    pub seed: u64,
}

impl Default for FaultConfig {
    fn default() -> FaultConfig {
        FaultConfig::none()
    }
}

impl FaultConfig {
    /// No faults and no added latency.
    pub fn none() -> FaultConfig {
        FaultConfig {
            throttle_rate: 0.0,
            unavailable_rate: 0.0,
            disconnect_rate: 0.0,
            latency: Duration::ZERO,
            latency_jitter: Duration::ZERO,
            seed: 0,
        }
    }

    /// A total fault `rate` split evenly between throttling, outages and
    /// broken connections.
    pub fn uniform(rate: f64, seed: u64) -> FaultConfig {
        let each = rate.clamp(0.0, 1.0) / 3.0;
        FaultConfig {
            throttle_rate: each,
            unavailable_rate: each,
            disconnect_rate: each,
            seed,
            ..FaultConfig::none()
        }
    }

    /// Whether anything at all is injected.
    pub fn is_active(&self) -> bool {
        self.throttle_rate > 0.0
            || self.unavailable_rate > 0.0
            || self.disconnect_rate > 0.0
            || !self.latency.is_zero()
            || !self.latency_jitter.is_zero()
    }
}

/// One injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer `Throttling.User`, HTTP 400.
    Throttle,
    /// Answer `ServiceUnavailable`, HTTP 503.
    Unavailable,
    /// Process the request, then cut the answer off.
    Disconnect,
}

/// The sequence of faults for one emulator run.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    config: FaultConfig,
    rng: SplitMix64,
}

impl FaultPlan {
    /// A plan following `config` from its seed.
    pub fn new(config: FaultConfig) -> FaultPlan {
        let rng = SplitMix64::new(config.seed);
        FaultPlan { config, rng }
    }

    /// The fault (if any) and the delay for the next request. Two draws are
    /// made per request whatever the outcome, so the sequence depends only
    /// on the seed and the number of requests.
    pub fn draw(&mut self) -> (Option<Fault>, Duration) {
        let pick = self.rng.next_f64();
        let jitter = self.rng.next_f64();
        let c = &self.config;
        let fault = if pick < c.throttle_rate {
            Some(Fault::Throttle)
        } else if pick < c.throttle_rate + c.unavailable_rate {
            Some(Fault::Unavailable)
        } else if pick < c.throttle_rate + c.unavailable_rate + c.disconnect_rate {
            Some(Fault::Disconnect)
        } else {
            None
        };
        let delay = c.latency + c.latency_jitter.mul_f64(jitter);
        (fault, delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_close_to_the_rates() {
        let cfg = FaultConfig::uniform(0.3, 42);
        let a: Vec<_> = {
            let mut p = FaultPlan::new(cfg.clone());
            (0..3000).map(|_| p.draw().0).collect()
        };
        let b: Vec<_> = {
            let mut p = FaultPlan::new(cfg);
            (0..3000).map(|_| p.draw().0).collect()
        };
        assert_eq!(a, b);
        let throttled = a.iter().filter(|f| **f == Some(Fault::Throttle)).count();
        let faults = a.iter().filter(|f| f.is_some()).count();
        assert!((800..1000).contains(&faults), "{faults}");
        assert!((230..370).contains(&throttled), "{throttled}");
        let mut none = FaultPlan::new(FaultConfig::none());
        assert!((0..100).all(|_| none.draw() == (None, Duration::ZERO)));
    }
}
