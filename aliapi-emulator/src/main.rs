//! `aliapi-emulator`: runs the CDN/CEN emulator until Ctrl-C.
//!
//! ```text
//! aliapi-emulator [--port N] [--key ID:SECRET]... [--sts-key ID:SECRET:TOKEN]...
//!                 [--state FILE] [--settle-ms N]
//!                 [--fault-rate R] [--seed N] [--latency-ms N] [--jitter-ms N]
//!                 [--clock-skew-secs N]
//! ```

use std::process::ExitCode;
use std::time::Duration;

use aliapi_emulator::{DEFAULT_ACCESS_KEY_ID, Emulator, EmulatorBuilder, FaultConfig};

const USAGE: &str = "\
usage: aliapi-emulator [options]
  --port N               listen on 127.0.0.1:N (default 8080; 0 picks a free port)
  --key ID:SECRET        accept this access key (repeatable); without any,
                         the default pair emulator-access-key-id /
                         emulator-access-key-secret is accepted
  --sts-key ID:SECRET:TOKEN  accept this temporary key with its SecurityToken
  --state FILE           load state from FILE and save every change to it
  --settle-ms N          how long a change takes to settle, e.g. a domain to go
                         online or a CEN to become active (default 1000)
  --fault-rate R         share of requests (0..1) that fail, split between
                         Throttling.User, ServiceUnavailable and cut connections
  --seed N               seed of the fault sequence (default 1)
  --latency-ms N         delay added to every answer
  --jitter-ms N          up to this much more delay, random per request
  --clock-skew-secs N    run the emulator's clock N seconds ahead (negative: behind)
  --help                 print this help";

struct Args {
    builder: EmulatorBuilder,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut builder = Emulator::builder().port(8080);
    let mut faults = FaultConfig::none();
    let mut fault_rate = 0.0f64;
    faults.seed = 1;
    let number = |flag: &str, v: Option<String>| -> Result<u64, String> {
        v.ok_or_else(|| format!("{flag} needs a value"))?
            .parse::<u64>()
            .map_err(|_| format!("{flag} needs a whole number"))
    };
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--port" => {
                let port = number("--port", args.next())?;
                builder = builder
                    .port(u16::try_from(port).map_err(|_| "--port is at most 65535".to_owned())?);
            }
            "--key" => {
                let v = args.next().ok_or("--key needs ID:SECRET")?;
                let (id, secret) = v
                    .split_once(':')
                    .filter(|(id, s)| !id.is_empty() && !s.is_empty())
                    .ok_or("--key needs ID:SECRET")?;
                builder = builder.key(id, secret);
            }
            "--sts-key" => {
                let v = args.next().ok_or("--sts-key needs ID:SECRET:TOKEN")?;
                let mut parts = v.splitn(3, ':');
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(id), Some(secret), Some(token))
                        if !id.is_empty() && !secret.is_empty() && !token.is_empty() =>
                    {
                        builder = builder.sts_key(id, secret, token);
                    }
                    _ => return Err("--sts-key needs ID:SECRET:TOKEN".into()),
                }
            }
            "--state" => builder = builder.state_file(args.next().ok_or("--state needs a file")?),
            "--settle-ms" => {
                builder =
                    builder.settle_time(Duration::from_millis(number("--settle-ms", args.next())?));
            }
            "--fault-rate" => {
                fault_rate = args
                    .next()
                    .ok_or("--fault-rate needs a value")?
                    .parse::<f64>()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or("--fault-rate needs a number from 0 to 1")?;
            }
            "--seed" => faults.seed = number("--seed", args.next())?,
            "--latency-ms" => {
                faults.latency = Duration::from_millis(number("--latency-ms", args.next())?)
            }
            "--jitter-ms" => {
                faults.latency_jitter = Duration::from_millis(number("--jitter-ms", args.next())?)
            }
            "--clock-skew-secs" => {
                let skew = args
                    .next()
                    .ok_or("--clock-skew-secs needs a value")?
                    .parse::<i64>()
                    .map_err(|_| "--clock-skew-secs needs a whole number".to_owned())?;
                builder = builder.clock_skew_secs(skew);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    let split = FaultConfig::uniform(fault_rate, faults.seed);
    faults.throttle_rate = split.throttle_rate;
    faults.unavailable_rate = split.unavailable_rate;
    faults.disconnect_rate = split.disconnect_rate;
    Ok(Some(Args {
        builder: builder.faults(faults),
    }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("aliapi-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let emulator = match args.builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("aliapi-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("aliapi-emulator listening on {}", emulator.url());
    let ids = emulator.service().key_ids();
    let default_only = ids.len() == 1 && ids[0] == DEFAULT_ACCESS_KEY_ID;
    println!(
        "accepted key ids: {}{}",
        ids.join(", "),
        if default_only {
            " (the documented default pair)"
        } else {
            ""
        }
    );
    println!("press Ctrl-C to stop");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("aliapi-emulator: cannot wait for Ctrl-C: {e}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags() {
        assert!(parse(&[]).unwrap().is_some());
        assert!(parse(&["--help"]).unwrap().is_none());
        let ok = parse(&[
            "--port",
            "0",
            "--key",
            "a:b",
            "--key",
            "c:d:e",
            "--sts-key",
            "STS.x:y:z",
            "--state",
            "s.json",
            "--fault-rate",
            "0.3",
            "--seed",
            "9",
            "--latency-ms",
            "5",
            "--jitter-ms",
            "5",
            "--settle-ms",
            "0",
            "--clock-skew-secs",
            "-30",
        ]);
        assert!(ok.unwrap().is_some());
        for bad in [
            &["--port", "70000"][..],
            &["--port"],
            &["--key", "nocolon"],
            &["--key", ":secret"],
            &["--sts-key", "a:b"],
            &["--fault-rate", "2"],
            &["--seed", "x"],
            &["--what"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_service_keeps_the_keys_and_hides_the_secrets() {
        let args = parse(&["--key", "id-1:super-secret"]).unwrap().unwrap();
        let service = args.builder.build_service().unwrap();
        assert_eq!(service.key_ids(), ["id-1"]);
        assert!(!format!("{service:?}").contains("super-secret"));
    }
}
