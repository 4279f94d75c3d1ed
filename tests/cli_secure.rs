//! Secure mode through the `racksync` binary: `key generate` writes an owner-only key
//! and never replaces one; `token` refuses bad key files with their reason; a secure
//! host admits `client --token` with a valid token and refuses one signed with another
//! key (and an unsecure client); an expired token file is refused before connecting; an
//! unsecure host refuses a public address.

mod cli_process;

use cli_process::Proc;
use std::path::Path;

fn racksync(args: &[&str]) -> Proc {
    Proc::spawn("racksync", args)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs a command that must fail; returns its error line.
fn fails(args: &[&str], what: &str) -> String {
    let mut proc = racksync(args);
    let line = proc.expect_stderr(what, |l| l.starts_with("racksync: "));
    assert!(!proc.wait_exit().success(), "{args:?} should fail");
    line
}

fn key(dir: &Path, name: &str) -> std::path::PathBuf {
    let file = dir.join(name);
    let mut proc = racksync(&["key", "generate", "-o", path(&file)]);
    assert!(proc.wait_exit().success());
    file
}

fn token(key: &Path, client_id: &str, host: &str, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "token",
        "--key-file",
        path(key),
        "--client-id",
        client_id,
        "--host",
        host,
        "-o",
        path(out),
    ];
    args.extend_from_slice(extra);
    assert!(racksync(&args).wait_exit().success());
}

#[test]
fn key_generate_writes_an_owner_only_key_and_never_replaces_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = key(dir.path(), "host.key");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.len(), 65);
    assert!(text[..64].bytes().all(|b| b.is_ascii_hexdigit()) && text.ends_with('\n'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let error = fails(&["key", "generate", "-o", path(&file)], "the refusal");
    assert!(error.contains("already exists"), "{error}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn bad_key_files_are_refused_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.key");
    let error = fails(
        &["token", "--key-file", path(&missing), "--client-id", "1"],
        "missing",
    );
    assert!(error.contains("racksync key generate"), "{error}");
    let short = dir.path().join("short.key");
    std::fs::write(&short, "abcdef\n").unwrap();
    let error = fails(
        &["token", "--key-file", path(&short), "--client-id", "1"],
        "short",
    );
    assert!(error.contains("this one has 3 bytes"), "{error}");
    let garbage = dir.path().join("garbage.key");
    std::fs::write(&garbage, "x".repeat(64)).unwrap();
    let error = fails(
        &["token", "--key-file", path(&garbage), "--client-id", "1"],
        "hex",
    );
    assert!(error.contains("not a hexadecimal key"), "{error}");
}

#[test]
fn a_secure_host_admits_a_valid_token_and_refuses_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let host_key = key(dir.path(), "host.key");
    let (mut host, addr) = Proc::host(&["--no-console", "--secure", "--key-file", path(&host_key)]);
    host.expect_stderr("the secure mode line", |l| {
        l.contains("secure mode: only valid connect tokens")
    });

    let valid = dir.path().join("alice.token");
    token(&host_key, "7", &addr, &valid, &[]);
    let mut alice = racksync(&[
        "client",
        "--token",
        path(&valid),
        "--name",
        "alice",
        "--once",
    ]);
    alice.expect("the joined line", |l| l.starts_with("joined objects=120 "));
    assert!(alice.wait_exit().success());

    let other_key = key(dir.path(), "other.key");
    let forged = dir.path().join("mallory.token");
    token(&other_key, "8", &addr, &forged, &["--timeout", "1"]);
    let mut mallory = racksync(&[
        "client",
        "--token",
        path(&forged),
        "--name",
        "mallory",
        "--once",
    ]);
    let error = mallory.expect_stderr("the refusal", |l| l.starts_with("racksync: "));
    assert!(error.contains(&format!("could not join {addr}")), "{error}");
    assert!(!mallory.wait_exit().success());

    // An unsecure client is ignored too.
    let mut eve = racksync(&[
        "client",
        "--connect",
        &addr,
        "--name",
        "eve",
        "--once",
        "--timeout",
        "2",
    ]);
    eve.expect_stderr("the refusal", |l| l.starts_with("racksync: could not join"));
    assert!(!eve.wait_exit().success());
}

#[test]
fn an_expired_token_file_is_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let host_key = key(dir.path(), "host.key");
    let expired = dir.path().join("old.token");
    token(
        &host_key,
        "9",
        "127.0.0.1:5000",
        &expired,
        &["--expire", "0"],
    );
    let error = fails(
        &[
            "client",
            "--token",
            path(&expired),
            "--name",
            "late",
            "--once",
        ],
        "the expiry",
    );
    assert!(error.contains("expired"), "{error}");
}

#[test]
fn an_unsecure_host_refuses_a_public_address() {
    // Refused before anything is bound (tests bind loopback only, so the accepted case
    // with --insecure-public and its warning is covered by tests/host_config.rs).
    let error = fails(
        &["host", "--bind", "0.0.0.0:0", "--no-console"],
        "the refusal",
    );
    assert!(
        error.contains("refusing to bind 0.0.0.0:0 without secure mode"),
        "{error}"
    );
    assert!(error.contains("--insecure-public"), "{error}");
}
