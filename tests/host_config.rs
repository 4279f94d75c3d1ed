//! The host configuration file: the shipped example is valid as shipped and with every
//! commented setting turned on; mistakes name their line; flags override the file; and
//! the rules that keep a host from being open by accident hold.

use racksync::config::{Admission, ConfigError, DurabilityMode, HostConfig, HostPlan};
use racksync::durability::Durability;
use std::path::{Path, PathBuf};
use std::time::Duration;

const EXAMPLE: &str = include_str!("../assets/config/host.ron");

fn example_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/config/host.ron")
}

fn parse(text: &str) -> Result<HostConfig, ConfigError> {
    HostConfig::parse(text, Path::new("/etc/racksync/host.ron"))
}

fn resolve(text: &str) -> Result<HostPlan, ConfigError> {
    parse(text)?.resolve()
}

#[test]
fn the_shipped_example_is_valid() {
    let plan = HostConfig::load(&example_path())
        .unwrap()
        .resolve()
        .unwrap();
    assert_eq!(plan.bind, "127.0.0.1:5000".parse().unwrap());
    assert!(!plan.console);
    assert_eq!(plan.admission, Admission::Unsecure { public: false });
    assert_eq!(plan.durability, None);
}

#[test]
fn the_shipped_example_with_every_setting_on_is_valid() {
    // Uncomment the settings (not the prose: setting lines are `// name: value,`).
    let text: String = EXAMPLE
        .lines()
        .map(|line| match line.trim_start().strip_prefix("// ") {
            Some(rest) if rest.contains(": ") && rest.ends_with(',') => format!("    {rest}"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let config = HostConfig::parse(&text, &example_path()).unwrap();
    let world = config.world.clone().unwrap();
    assert!(
        world.exists(),
        "{} is relative to the file",
        world.display()
    );
    let plan = config.resolve().unwrap();
    assert!(
        matches!(plan.admission, Admission::Secure { ref public_addresses, .. } if public_addresses.len() == 1)
    );
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].rate_per_s, Some(10));
    assert_eq!(plan.owner.as_deref(), Some("alice"));
    assert_eq!(plan.actions_per_s, Some(50));
    let durability = plan.durability.unwrap();
    assert_eq!(
        durability.save,
        PathBuf::from("/var/lib/racksync/world.ron")
    );
    assert_eq!(
        durability.durability,
        Durability::Interval {
            fsync_every: Duration::from_millis(200)
        }
    );
}

#[test]
fn defaults_fill_an_empty_file() {
    let plan = resolve("()").unwrap();
    assert_eq!(plan.bind, "127.0.0.1:5000".parse().unwrap());
    assert_eq!(
        (plan.tick_hz, plan.max_players, plan.console),
        (30, 64, true)
    );
    assert_eq!(plan.world, None);
    assert_eq!(plan.durability, None);
}

#[test]
fn an_unknown_field_is_an_error_naming_its_line() {
    let error = parse("(\n    tick_hz: 30,\n    tick_rate: 60,\n)").unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("/etc/racksync/host.ron:3:"),
        "{message}"
    );
    assert!(message.contains("tick_rate"), "{message}");
}

#[test]
fn a_value_of_the_wrong_type_names_its_line() {
    let message = parse("(\n    bind: \"localhost\",\n)")
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("/etc/racksync/host.ron:2:"),
        "{message}"
    );
}

#[test]
fn an_out_of_range_value_names_its_line() {
    for (text, line, field) in [
        ("(\n  console: true,\n  tick_hz: 0,\n)", 3, "tick_hz"),
        ("(\n  max_players: 5000,\n)", 2, "max_players"),
        ("(\n\n\n  save_every: 0,\n)", 4, "save_every"),
        ("(\n  fsync_every_ms: 0,\n)", 2, "fsync_every_ms"),
        ("(\n  public_addr: [],\n)", 2, "public_addr"),
        (
            "(\n  owner: \"x\",\n  events: [(name: \"a\", rate_per_s: 101)],\n)",
            3,
            "events",
        ),
        ("(\n  actions_per_s: 0,\n)", 2, "actions_per_s"),
    ] {
        match parse(text) {
            Err(ConfigError::Invalid {
                line: found,
                message,
                ..
            }) => {
                assert_eq!(found, line, "{text}");
                assert!(message.starts_with(field), "{message}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn relative_paths_are_relative_to_the_file() {
    let config = parse("(world: \"worlds/w.ron\", save: \"/abs/s.ron\", key_file: \"k\")").unwrap();
    assert_eq!(
        config.world.unwrap(),
        PathBuf::from("/etc/racksync/worlds/w.ron")
    );
    assert_eq!(config.save.unwrap(), PathBuf::from("/abs/s.ron"));
    assert_eq!(config.key_file.unwrap(), PathBuf::from("/etc/racksync/k"));
}

#[test]
fn flags_override_the_file_field_by_field() {
    let file = parse("(tick_hz: 20, max_players: 8, console: false, save: \"/w.ron\")").unwrap();
    let flags = HostConfig {
        tick_hz: Some(60),
        console: Some(true),
        durability: Some(DurabilityMode::Interval),
        ..HostConfig::default()
    };
    let plan = file.overlay(flags).resolve().unwrap();
    assert_eq!(
        (plan.tick_hz, plan.max_players, plan.console),
        (60, 8, true)
    );
    assert_eq!(
        plan.durability.unwrap().durability,
        Durability::Interval {
            fsync_every: racksync::durability::DEFAULT_FSYNC_EVERY
        }
    );
}

#[test]
fn an_unsecure_public_bind_needs_insecure_public() {
    let error = resolve("(bind: \"0.0.0.0:5000\")").unwrap_err().to_string();
    assert!(
        error.contains("refusing to bind 0.0.0.0:5000 without secure mode"),
        "{error}"
    );
    let plan = resolve("(bind: \"0.0.0.0:5000\", insecure_public: true)").unwrap();
    assert_eq!(plan.admission, Admission::Unsecure { public: true });
    // Loopback needs nothing.
    let plan = resolve("(bind: \"[::1]:5000\")").unwrap();
    assert_eq!(plan.admission, Admission::Unsecure { public: false });
}

#[test]
fn secure_mode_needs_a_key_and_a_nameable_address() {
    let error = resolve("(secure: true)").unwrap_err().to_string();
    assert!(error.contains("needs a key file"), "{error}");
    let error = resolve("(secure: true, key_file: \"k\", bind: \"0.0.0.0:5000\")")
        .unwrap_err()
        .to_string();
    assert!(error.contains("--public-addr"), "{error}");
    let plan = resolve(
        "(secure: true, key_file: \"k\", bind: \"0.0.0.0:5000\", public_addr: [\"203.0.113.5:5000\"])",
    )
    .unwrap();
    assert_eq!(
        plan.admission,
        Admission::Secure {
            key_file: PathBuf::from("/etc/racksync/k"),
            public_addresses: vec!["203.0.113.5:5000".parse().unwrap()],
        }
    );
}

#[test]
fn a_key_without_secure_mode_is_refused() {
    // It would look protected and be open to anyone.
    let error = resolve("(key_file: \"k\")").unwrap_err().to_string();
    assert!(error.contains("secure mode is off"), "{error}");
    let file = parse("(secure: true, key_file: \"k\")").unwrap();
    let off = HostConfig {
        secure: Some(false),
        ..HostConfig::default()
    };
    assert!(file.overlay(off).resolve().is_err());
}

#[test]
fn durability_settings_need_a_save() {
    let error = resolve("(durability: Strict)").unwrap_err().to_string();
    assert!(error.contains("need a save file"), "{error}");
    let plan = resolve("(save: \"w.ron\", save_every: 5)").unwrap();
    let durability = plan.durability.unwrap();
    assert_eq!(durability.save_every, Duration::from_secs(5));
    assert_eq!(durability.durability, Durability::Strict);
}
