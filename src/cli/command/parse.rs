//! Text to [`Command`].

use super::help::{find, usage};
use super::words::{Words, quote};
use super::{Command, ListFilter, ParseError, Request};
use core::str::FromStr;
use racksync_protocol::ids::MAX_OBJECT_SERIAL;
use racksync_protocol::{
    Action, CableEnd, MAX_NAMESPACE, ObjectId, ObjectKind, PosMm, Property, RackSlot,
};

const ID: &str = "an object id like #23 or #2:5";
const UNIT: &str = "a rack unit (1..42)";
const PORT: &str = "a port number (0..255)";
const MM: &str = "a whole number of millimetres";
const DEGREES: &str = "a heading in degrees";

/// Parses one line. Blank lines are `Ok(None)`.
pub fn parse(line: &str) -> Result<Option<Command>, ParseError> {
    let mut words = Words::new(line, "");
    let Some(first) = words.next_word() else {
        return Ok(None);
    };
    let verb = find(first).ok_or_else(|| ParseError::UnknownCommand(quote(first)))?;
    let mut args = Words::new(words.remainder(), verb.usage);
    let command = match verb.name {
        "help" => Command::Help,
        "quit" => Command::Quit,
        "stats" => Command::Stats,
        "list" => Command::List(list_filter(&mut args)?),
        "show" => Command::Show(id(&mut args, "ID")?),
        "spawn" => spawn(&mut args)?,
        "event" => super::messaging::event(&mut args)?,
        "raw" => super::messaging::raw(&mut args)?,
        "owner" => Command::Owner,
        "conn" => Command::Connection,
        name => Command::Act(Request::Action(action(name, &mut args)?)),
    };
    args.finish()?;
    Ok(Some(command))
}

/// Parses an object id as it prints: `#23`, `#2:5`, or the same without `#`.
pub fn parse_object_id(text: &str) -> Option<ObjectId> {
    let text = text.strip_prefix('#').unwrap_or(text);
    let (namespace, serial) = match text.split_once(':') {
        Some((namespace, serial)) => (namespace.parse::<u16>().ok()?, serial),
        None => (0, text),
    };
    let serial = serial.parse::<u32>().ok()?;
    (namespace <= MAX_NAMESPACE && serial <= MAX_OBJECT_SERIAL)
        .then(|| ObjectId::new(namespace, serial))
}

fn action(name: &str, args: &mut Words) -> Result<Action, ParseError> {
    Ok(match name {
        "pickup" => Action::PickUp {
            object: id(args, "ID")?,
        },
        "drop" => {
            let object = id(args, "ID")?;
            let (pos, yaw) = position(args)?;
            Action::Drop { object, pos, yaw }
        }
        "install" => {
            let object = id(args, "ID")?;
            let rack = id(args, "RACK")?;
            let unit = args.number("UNIT", UNIT)?;
            Action::InstallInRack {
                object,
                slot: RackSlot { rack, unit },
            }
        }
        "remove" => Action::RemoveFromRack {
            object: id(args, "ID")?,
        },
        "power" => {
            let object = id(args, "ID")?;
            let on = args.parsed("on|off", "on or off", |word| {
                match word.to_ascii_lowercase().as_str() {
                    "on" => Some(true),
                    "off" => Some(false),
                    _ => None,
                }
            })?;
            Action::SetPower { object, on }
        }
        "set" => {
            let object = id(args, "ID")?;
            let value = property(args)?;
            Action::SetProperty { object, value }
        }
        "connect" => {
            let cable = id(args, "CABLE")?;
            let first = args.parsed("END", "DEVICE/PORT or customer:N", cable_end)?;
            let second = args.parsed("END", "DEVICE/PORT or customer:N", cable_end)?;
            Action::ConnectCable {
                cable,
                ends: [first, second],
            }
        }
        "disconnect" => Action::DisconnectCable {
            cable: id(args, "CABLE")?,
        },
        "destroy" => Action::Destroy {
            object: id(args, "ID")?,
        },
        "insert" => Action::InsertSfp {
            module: id(args, "MODULE")?,
            switch: id(args, "SWITCH")?,
            port: args.number("PORT", PORT)?,
        },
        "eject" => Action::RemoveSfp {
            module: id(args, "MODULE")?,
        },
        "repair" => Action::Repair {
            object: id(args, "ID")?,
        },
        "break" => Action::Break {
            object: id(args, "ID")?,
        },
        "wear" => Action::Wear {
            seconds: args.number("SECONDS", "a whole number of seconds")?,
        },
        "release" => {
            let object = id(args, "ID")?;
            let (pos, yaw) = position(args)?;
            Action::Release { object, pos, yaw }
        }
        // Every verb of the table is handled above; a new verb without a parser is
        // reported like an unknown word rather than crashing the console.
        other => return Err(ParseError::UnknownCommand(other.to_string())),
    })
}

fn id(args: &mut Words, what: &'static str) -> Result<ObjectId, ParseError> {
    args.parsed(what, ID, parse_object_id)
}

fn list_filter(args: &mut Words) -> Result<ListFilter, ParseError> {
    let Some(word) = args.next_word() else {
        return Ok(ListFilter::All);
    };
    if word.eq_ignore_ascii_case("held") {
        return Ok(ListFilter::Held);
    }
    parse_kind(word)
        .map(ListFilter::Kind)
        .ok_or_else(|| args.invalid(word, "an object kind or held"))
}

fn spawn(args: &mut Words) -> Result<Command, ParseError> {
    let kind = args.parsed(
        "KIND",
        "an object kind (server1u, rack, cable…)",
        parse_kind,
    )?;
    let (pos, yaw) = position(args)?;
    Ok(Command::Act(Request::Spawn { kind, pos, yaw }))
}

/// `X Y Z [YAW]`.
fn position(args: &mut Words) -> Result<(PosMm, u16), ParseError> {
    let x = args.number("X", MM)?;
    let y = args.number("Y", MM)?;
    let z = args.number("Z", MM)?;
    let yaw = match args.next_word() {
        None => 0,
        Some(word) => degrees_to_yaw(word).ok_or_else(|| args.invalid(word, DEGREES))?,
    };
    Ok((PosMm::new(x, y, z), yaw))
}

/// Degrees (any finite value, wrapped into one turn) to 1/65536 of a turn.
fn degrees_to_yaw(word: &str) -> Option<u16> {
    let degrees: f64 = word.parse().ok()?;
    if !degrees.is_finite() {
        return None;
    }
    let turns = degrees.rem_euclid(360.0) / 360.0;
    // rem_euclid can round up to exactly 360.0 for tiny negative inputs; wrap that too.
    Some(((turns * 65536.0).round() as u32 % 65536) as u16)
}

fn parse_kind(word: &str) -> Option<ObjectKind> {
    let wanted = word.to_ascii_lowercase().replace('-', "_");
    ObjectKind::ALL
        .into_iter()
        .find(|kind| kind.name() == wanted || kind.name().replace('_', "") == wanted)
}

fn cable_end(word: &str) -> Option<CableEnd> {
    if let Some(customer) = word
        .get(..9)
        .filter(|prefix| prefix.eq_ignore_ascii_case("customer:"))
        .map(|_| &word[9..])
    {
        return customer.parse().ok().map(CableEnd::Customer);
    }
    let (device, port) = word.rsplit_once('/')?;
    Some(CableEnd::Port {
        device: parse_object_id(device)?,
        port: port.parse().ok()?,
    })
}

fn property(args: &mut Words) -> Result<Property, ParseError> {
    let key = args.word("KEY")?;
    let value = args.remainder();
    if value.is_empty() {
        return Err(ParseError::Missing {
            what: "VALUE (or none)",
            usage: usage("set"),
        });
    }
    let clear = value.eq_ignore_ascii_case("none");
    Ok(match key.to_ascii_lowercase().as_str() {
        "ip" => Property::Ip(value_or_none(
            args,
            value,
            clear,
            "an IPv4 address or none",
        )?),
        "customer" => Property::Customer(value_or_none(
            args,
            value,
            clear,
            "a customer number or none",
        )?),
        "app" => Property::App(value_or_none(
            args,
            value,
            clear,
            "an application id or none",
        )?),
        // Labels are free text: the rest of the line, spaces included. The rules check
        // length and printability, so the host and the client refuse the same labels.
        "label" => Property::Label((!clear).then(|| value.to_string())),
        _ => return Err(args.invalid(key, "ip, customer, label or app")),
    })
}

/// `None` when clearing, else `value` parsed (a value of several words never parses).
fn value_or_none<T: FromStr>(
    args: &Words,
    value: &str,
    clear: bool,
    expected: &'static str,
) -> Result<Option<T>, ParseError> {
    if clear {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| args.invalid(value, expected))
}
