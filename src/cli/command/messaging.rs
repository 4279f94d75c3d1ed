//! Parsing the messaging commands: `event`, `raw`, `owner`, `conn`.

use super::words::Words;
use super::{Command, ParseError};
use racksync_protocol::{EventTarget, PlayerId, RawTarget, SendType};

const EVENT_TARGET: &str = "all, others, owner, owner:ID, self, or players like p2,p3";
const RAW_TARGET: &str = "others, or players like p2,p3";
const SEND_TYPE: &str = "reliable, unreliable or sequenced";

/// `event NAME TARGET [TEXT]`: one text parameter when TEXT is given, none otherwise.
pub(super) fn event(args: &mut Words) -> Result<Command, ParseError> {
    let name = args.word("NAME")?.to_string();
    let target = args.parsed("TARGET", EVENT_TARGET, event_target)?;
    let text = args.remainder();
    Ok(Command::Event {
        name,
        target,
        text: (!text.is_empty()).then(|| text.to_string()),
    })
}

/// `raw TARGET reliable|unreliable|sequenced TEXT`.
pub(super) fn raw(args: &mut Words) -> Result<Command, ParseError> {
    let target = args.parsed("TARGET", RAW_TARGET, |word| {
        if word.eq_ignore_ascii_case("others") {
            Some(RawTarget::Others)
        } else {
            players(word).map(RawTarget::Players)
        }
    })?;
    let send_type = args.parsed("TYPE", SEND_TYPE, |word| {
        match word.to_ascii_lowercase().as_str() {
            "reliable" => Some(SendType::Reliable),
            "unreliable" => Some(SendType::Unreliable),
            "sequenced" => Some(SendType::UnreliableSequenced),
            _ => None,
        }
    })?;
    let text = args.remainder();
    if text.is_empty() {
        return Err(ParseError::Missing {
            what: "TEXT",
            usage: super::help::usage("raw"),
        });
    }
    Ok(Command::Raw {
        target,
        send_type,
        text: text.to_string(),
    })
}

fn event_target(word: &str) -> Option<EventTarget> {
    let lower = word.to_ascii_lowercase();
    Some(match lower.as_str() {
        "all" => EventTarget::All,
        "others" => EventTarget::Others,
        "owner" => EventTarget::Owner(None),
        "self" | "local" => EventTarget::Local,
        _ => match lower.strip_prefix("owner:") {
            Some(id) => EventTarget::Owner(Some(super::parse_object_id(id)?)),
            None => EventTarget::Players(players(word)?),
        },
    })
}

/// `p2,p3` (or `2,3`): a non-empty list of player ids.
fn players(word: &str) -> Option<Vec<PlayerId>> {
    word.split(',')
        .map(|p| {
            let p = p
                .strip_prefix('p')
                .or_else(|| p.strip_prefix('P'))
                .unwrap_or(p);
            p.parse::<u16>().ok().filter(|id| *id > 0).map(PlayerId)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn events_parse_with_every_target() {
        assert_eq!(
            parse("event chat others hello there").unwrap(),
            Some(Command::Event {
                name: "chat".into(),
                target: EventTarget::Others,
                text: Some("hello there".into()),
            })
        );
        assert_eq!(
            parse("event wave p2,p3").unwrap(),
            Some(Command::Event {
                name: "wave".into(),
                target: EventTarget::Players(vec![PlayerId(2), PlayerId(3)]),
                text: None,
            })
        );
        let owner = parse("event ping owner:#23").unwrap().unwrap();
        assert!(matches!(
            owner,
            Command::Event {
                target: EventTarget::Owner(Some(_)),
                ..
            }
        ));
        assert!(
            parse("event ping nobody")
                .unwrap_err()
                .to_string()
                .contains("is not all, others")
        );
    }

    #[test]
    fn raw_parses_and_needs_text() {
        assert_eq!(
            parse("raw others sequenced a b").unwrap(),
            Some(Command::Raw {
                target: RawTarget::Others,
                send_type: SendType::UnreliableSequenced,
                text: "a b".into(),
            })
        );
        assert_eq!(
            parse("raw p2 reliable").unwrap_err().to_string(),
            "missing TEXT; usage: raw TARGET reliable|unreliable|sequenced TEXT"
        );
        assert_eq!(parse("owner").unwrap(), Some(Command::Owner));
        assert_eq!(parse("conn").unwrap(), Some(Command::Connection));
    }
}
