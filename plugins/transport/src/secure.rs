//! netcode's secure mode: the private key a host and its token issuer share, connect
//! tokens, and the UDP client that connects with one.
//!
//! A connect token is signed and encrypted with the private key; it names the client id,
//! the host addresses it is good for, when it expires, and the connection timeout. A
//! secure host admits only clients presenting such a token (netcode checks the
//! signature, the expiry, the protocol id and that the token names the host's address),
//! and the token's keys encrypt all traffic of that connection.
//!
//! Text forms: a key is 64 hexadecimal digits; a token is netcode's serialized token in
//! hexadecimal (one line, about 2.3 KB).

use std::fmt;
use std::io::Cursor;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use bevy_renet::netcode::{ClientAuthentication, ConnectToken};
use renet_netcode::generate_random_bytes;
use thiserror::Error;

use crate::error::TransportError;
use crate::udp::{client_bind_addr, unix_time};
use crate::udp_client_transport::UdpClientTransport;

/// Bytes of a netcode private key.
pub const KEY_BYTES: usize = 32;

/// Longest serialized token: the fixed part plus 32 IPv6 host addresses.
const MAX_TOKEN_BYTES: usize = 2048;

/// A netcode private key: whoever holds it can mint connect tokens for the host.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey([u8; KEY_BYTES]);

impl PrivateKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Self {
        Self(generate_random_bytes())
    }

    /// The raw key bytes.
    pub fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.0
    }

    /// Parses 64 hexadecimal digits; surrounding whitespace (a trailing newline) is
    /// ignored.
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let bytes = hex_decode(text.trim()).map_err(KeyError::NotHex)?;
        let found = bytes.len();
        bytes
            .try_into()
            .map(Self)
            .map_err(|_| KeyError::WrongLength { found })
    }

    /// The key as 64 lowercase hexadecimal digits.
    pub fn to_hex(&self) -> String {
        hex_encode(&self.0)
    }
}

impl fmt::Debug for PrivateKey {
    /// Never prints the key itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

/// Why text is not a private key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    /// Not hexadecimal.
    #[error("not a hexadecimal key: {0}")]
    NotHex(String),
    /// Hexadecimal, but not 32 bytes.
    #[error("a key is {KEY_BYTES} bytes (64 hex digits), this one has {found} bytes")]
    WrongLength {
        /// Bytes found.
        found: usize,
    },
}

/// What a connect token grants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenGrant {
    /// The client id the host will know the client by (unique among connected clients).
    pub client_id: u64,
    /// Host addresses the token is good for, as clients reach them (1..=32).
    pub hosts: Vec<SocketAddr>,
    /// How long after issue the token may be used to connect.
    pub valid_for: Duration,
    /// Silence after which either side drops the connection.
    pub timeout: Duration,
}

/// Issues a connect token for `grant`, signed with `key`, as of `now` (UNIX time).
pub fn issue_token(
    key: &PrivateKey,
    protocol_id: u64,
    grant: &TokenGrant,
    now: Duration,
) -> Result<ConnectToken, TokenError> {
    let timeout = i32::try_from(grant.timeout.as_secs())
        .ok()
        .filter(|&seconds| seconds > 0)
        .ok_or(TokenError::Timeout)?;
    ConnectToken::generate(
        now,
        protocol_id,
        grant.valid_for.as_secs(),
        grant.client_id,
        timeout,
        grant.hosts.clone(),
        // Zeros, not netcode's default of random bytes: racksync does not use user data.
        Some(&[0; renet_netcode::NETCODE_USER_DATA_BYTES]),
        key.bytes(),
    )
    .map_err(|error| TokenError::Generate(error.to_string()))
}

/// A token as one line of hexadecimal text.
pub fn token_to_text(token: &ConnectToken) -> String {
    let mut bytes = Vec::new();
    token
        .write(&mut bytes)
        .expect("writing to a Vec cannot fail");
    hex_encode(&bytes)
}

/// Parses a token written by [`token_to_text`] and checks it is for `protocol_id`.
/// Surrounding whitespace is ignored; anything else that is not exactly one token is
/// an error.
pub fn token_from_text(text: &str, protocol_id: u64) -> Result<ConnectToken, TokenError> {
    let text = text.trim();
    if text.len() > 2 * MAX_TOKEN_BYTES {
        return Err(TokenError::Malformed("longer than any token".into()));
    }
    let bytes = hex_decode(text).map_err(TokenError::Malformed)?;
    let mut cursor = Cursor::new(bytes.as_slice());
    let token = ConnectToken::read(&mut cursor)
        .map_err(|error| TokenError::Malformed(error.to_string()))?;
    if cursor.position() != bytes.len() as u64 {
        return Err(TokenError::Malformed(
            "trailing bytes after the token".into(),
        ));
    }
    // netcode's client takes the first address and panics without one.
    if token.server_addresses[0].is_none() {
        return Err(TokenError::Malformed("the token names no host".into()));
    }
    if token.protocol_id != protocol_id {
        return Err(TokenError::Protocol {
            found: token.protocol_id,
            expected: protocol_id,
        });
    }
    Ok(token)
}

/// Why a token could not be issued or read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TokenError {
    /// The timeout must be 1 s to `i32::MAX` s.
    #[error("the connection timeout must be at least one second")]
    Timeout,
    /// netcode refused to generate the token (no or too many host addresses).
    #[error("cannot issue the token: {0}")]
    Generate(String),
    /// The text is not a token.
    #[error("not a connect token: {0}")]
    Malformed(String),
    /// The token is for another protocol.
    #[error("the token is for protocol {found:#x}, this build speaks {expected:#x}")]
    Protocol {
        /// The token's protocol id.
        found: u64,
        /// Ours.
        expected: u64,
    },
}

/// Binds an ephemeral UDP port of the first host's address family and builds a netcode
/// client that connects with `token`.
pub fn udp_token_client(token: ConnectToken) -> Result<UdpClientTransport, TransportError> {
    let host = token.server_addresses[0].ok_or(TransportError::Netcode(
        renet_netcode::NetcodeError::NoMoreServers,
    ))?;
    let bind = client_bind_addr(host);
    let socket =
        UdpSocket::bind(bind).map_err(|source| TransportError::Bind { addr: bind, source })?;
    Ok(UdpClientTransport::new(
        unix_time()?,
        ClientAuthentication::Secure {
            connect_token: token,
        },
        socket,
    )?)
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    fn digit(c: u8, at: usize) -> Result<u8, String> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(format!("character {} is not a hex digit", at + 1)),
        }
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", bytes.len()));
    }
    bytes
        .chunks_exact(2)
        .enumerate()
        .map(|(i, pair)| Ok(digit(pair[0], 2 * i)? << 4 | digit(pair[1], 2 * i + 1)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROTOCOL: u64 = 7;

    fn grant() -> TokenGrant {
        TokenGrant {
            client_id: 42,
            hosts: vec!["127.0.0.1:5000".parse().unwrap()],
            valid_for: Duration::from_secs(60),
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn keys_round_trip_through_hex() {
        let key = PrivateKey::generate();
        assert_eq!(key.to_hex().len(), 64);
        assert_eq!(
            PrivateKey::from_hex(&format!("{}\n", key.to_hex())),
            Ok(key)
        );
        assert_ne!(PrivateKey::generate(), PrivateKey::generate());
    }

    #[test]
    fn bad_keys_say_why() {
        assert_eq!(
            PrivateKey::from_hex("abcd"),
            Err(KeyError::WrongLength { found: 2 })
        );
        assert!(matches!(
            PrivateKey::from_hex(&"zz".repeat(32)),
            Err(KeyError::NotHex(_))
        ));
        assert!(matches!(
            PrivateKey::from_hex("abc"),
            Err(KeyError::NotHex(_))
        ));
        assert!(!format!("{:?}", PrivateKey::generate()).contains(|c: char| c.is_ascii_digit()));
    }

    #[test]
    fn tokens_round_trip_through_text() {
        let key = PrivateKey::generate();
        let token = issue_token(&key, PROTOCOL, &grant(), Duration::from_secs(1_000)).unwrap();
        assert_eq!(token.client_id, 42);
        assert_eq!(token.expire_timestamp, 1_060);
        let text = token_to_text(&token);
        assert_eq!(token_from_text(&format!("{text}\n"), PROTOCOL), Ok(token));
    }

    #[test]
    fn malformed_tokens_are_errors_not_panics() {
        let key = PrivateKey::generate();
        let text = token_to_text(&issue_token(&key, PROTOCOL, &grant(), Duration::ZERO).unwrap());
        for bad in [
            String::new(),
            text[..text.len() - 2].to_string(),
            format!("{text}00"),
            text.replace('0', "g"),
            "00".repeat(MAX_TOKEN_BYTES + 1),
        ] {
            assert!(
                matches!(
                    token_from_text(&bad, PROTOCOL),
                    Err(TokenError::Malformed(_))
                ),
                "{bad:.40}"
            );
        }
        assert!(matches!(
            token_from_text(&text, PROTOCOL + 1),
            Err(TokenError::Protocol { .. })
        ));
    }

    #[test]
    fn a_token_naming_no_host_is_refused() {
        let key = PrivateKey::generate();
        let token = issue_token(&key, PROTOCOL, &grant(), Duration::ZERO).unwrap();
        let mut bytes = Vec::new();
        token.write(&mut bytes).unwrap();
        // The host count sits after the fixed header, private data and timeout.
        let count_at = 8 + 13 + 8 + 8 + 8 + 24 + 1024 + 4;
        assert_eq!(&bytes[count_at..count_at + 4], &1u32.to_le_bytes());
        // Zero hosts, with the IPv4 entry (1 + 4 + 2 bytes) taken out.
        let mut forged = bytes[..count_at].to_vec();
        forged.extend(0u32.to_le_bytes());
        forged.extend(&bytes[count_at + 4 + 7..]);
        assert!(matches!(
            token_from_text(&hex_encode(&forged), PROTOCOL),
            Err(TokenError::Malformed(_))
        ));
    }

    #[test]
    fn zero_timeouts_are_refused() {
        let key = PrivateKey::generate();
        let grant = TokenGrant {
            timeout: Duration::from_millis(500),
            ..grant()
        };
        assert_eq!(
            issue_token(&key, PROTOCOL, &grant, Duration::ZERO),
            Err(TokenError::Timeout)
        );
    }
}
