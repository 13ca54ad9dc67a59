//! Measuring cases in turns against a baseline of the same run: the harness
//! of the micro-benchmarks (`sign`, and the workspace's `decode`).
//!
//! Each case is calibrated to about 10 ms per sample, then every case takes
//! one sample in turn, many times over, so that a noisy neighbour slows all
//! of them alike; each case is reported as its median and its ratio to the
//! median of the case named as its baseline. A bench binary rather than
//! criterion: the crate's dev-dependencies, which `cargo test` builds too,
//! stay small.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// One measured case: a name, the case it is compared with, and a closure
/// run once per iteration.
pub struct Case<'a> {
    name: &'static str,
    /// The name of the case that is this one's baseline.
    baseline: &'static str,
    run: Box<dyn FnMut() + 'a>,
    /// Nanoseconds per iteration, one entry per sample.
    samples: Vec<f64>,
    iterations: u64,
}

impl<'a> Case<'a> {
    /// A case running `f`, compared with the case named `baseline` (its own
    /// name for a baseline). What `f` returns is kept from the optimizer.
    pub fn new<R>(
        name: &'static str,
        baseline: &'static str,
        mut f: impl FnMut() -> R + 'a,
    ) -> Case<'a> {
        Case {
            name,
            baseline,
            run: Box::new(move || {
                black_box(f());
            }),
            samples: Vec::new(),
            iterations: 1,
        }
    }

    /// Grows the iteration count until one sample lasts about `target`.
    fn calibrate(&mut self, target: Duration) {
        loop {
            let took = self.time(self.iterations);
            if took >= target / 2 {
                let scale = target.as_secs_f64() / took.as_secs_f64();
                self.iterations = ((self.iterations as f64 * scale) as u64).max(1);
                return;
            }
            self.iterations *= 2;
        }
    }

    fn time(&mut self, iterations: u64) -> Duration {
        let start = Instant::now();
        for _ in 0..iterations {
            (self.run)();
        }
        start.elapsed()
    }

    fn sample(&mut self) {
        let took = self.time(self.iterations);
        self.samples
            .push(took.as_nanos() as f64 / self.iterations as f64);
    }

    fn median(&self) -> f64 {
        let mut s = self.samples.clone();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    }
}

/// Runs `cases` as the command line says and prints their medians and
/// ratios: `--quick` takes 10 samples instead of 60, `--only <text>` runs
/// the one case whose name holds the text (to profile it) and prints its
/// median alone.
pub fn run(mut cases: Vec<Case<'_>>) {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1).cloned());
    let samples = if quick { 10 } else { 60 };
    let target = Duration::from_millis(10);
    if let Some(only) = only {
        let mut case = cases
            .into_iter()
            .find(|c| c.name.contains(&only))
            .expect("no such case");
        case.calibrate(target);
        for _ in 0..samples {
            case.sample();
        }
        println!("  {:<46} {:>10.1} ns", case.name, case.median());
        return;
    }
    for case in &mut cases {
        case.calibrate(target);
    }
    for _ in 0..samples {
        for case in &mut cases {
            case.sample();
        }
    }
    let median_of = |name: &str| {
        cases
            .iter()
            .find(|c| c.name == name)
            .map(Case::median)
            .expect("every baseline is a case")
    };
    println!("{samples} samples of about 10 ms per case, taken in turns; medians:");
    for case in &cases {
        let median = case.median();
        println!(
            "  {:<46} {:>10.1} ns   {:>5.2} x {}",
            case.name,
            median,
            median / median_of(case.baseline),
            case.baseline
        );
    }
}
