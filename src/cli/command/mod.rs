//! The command language shared by the client prompt (`racksync client`) and the host
//! admin console (`racksync host`): one line of text becomes one [`Command`].
//!
//! Object ids are typed the way they print (`#23`, `#2:5` for serial 5 of player 2's
//! namespace); a bare number (`23`) means a world object (namespace 0). Positions are
//! whole millimetres, headings are degrees. Parsing never panics: every malformed line
//! is a [`ParseError`] with a one-line message.

mod help;
mod messaging;
mod parse;
mod words;

pub use help::{VERBS, Verb, help_text};
pub use parse::{parse, parse_object_id};

use racksync_protocol::{
    Action, EventTarget, ObjectId, ObjectKind, PlayerId, PosMm, RawTarget, SendType,
};
use racksync_world::WorldIndex;

/// One parsed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Print the command table.
    Help,
    /// Leave (the client); close the console (the host keeps serving).
    Quit,
    /// Print counters: revision, digest, objects, actions.
    Stats,
    /// Print one line per object.
    List(ListFilter),
    /// Print everything about one object.
    Show(ObjectId),
    /// Perform a world action.
    Act(Request),
    /// Send a network event, with one text parameter when `text` is given.
    Event {
        /// The registered event name.
        name: String,
        /// Who receives it.
        target: EventTarget,
        /// Its text parameter.
        text: Option<String>,
    },
    /// Send a raw message of text.
    Raw {
        /// Who receives it.
        target: RawTarget,
        /// How it travels.
        send_type: SendType,
        /// The text.
        text: String,
    },
    /// Print the instance owner.
    Owner,
    /// Print the connection's state and traffic.
    Connection,
}

/// Which objects `list` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFilter {
    /// Every object.
    All,
    /// Objects of one kind.
    Kind(ObjectKind),
    /// Objects in the local player's hand (on the host: in any hand).
    Held,
}

/// A world action as typed. Complete except for a spawn, whose new id is allocated from
/// the actor's namespace when the command runs (it depends on the world at that moment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Any action but a spawn.
    Action(Action),
    /// Create an object; the id is allocated by [`Request::into_action`].
    Spawn {
        /// What to create.
        kind: ObjectKind,
        /// Where, in millimetres.
        pos: PosMm,
        /// Heading in 1/65536 of a turn.
        yaw: u16,
    },
}

/// Why a typed request cannot become an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Every serial of the actor's namespace is used.
    #[error("no free object id left in namespace {0}")]
    NamespaceFull(u16),
}

impl Request {
    /// The action to perform as `actor`. A spawn gets the next serial of the actor's
    /// namespace that no object has used since the world was loaded, so an optimistic
    /// spawn never collides with an object the host already knows.
    pub fn into_action(self, index: &WorldIndex, actor: PlayerId) -> Result<Action, RequestError> {
        match self {
            Request::Action(action) => Ok(action),
            Request::Spawn { kind, pos, yaw } => {
                let namespace = actor.namespace();
                let serial = index.next_serial(namespace);
                if serial > racksync_protocol::ids::MAX_OBJECT_SERIAL {
                    return Err(RequestError::NamespaceFull(namespace));
                }
                Ok(Action::Spawn {
                    object: ObjectId::new(namespace, serial),
                    kind,
                    pos,
                    yaw,
                })
            }
        }
    }
}

/// Why a line is not a command. Each message is one line and quotes at most a short,
/// escaped piece of the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The first word is no command.
    #[error("unknown command {0:?}; type help")]
    UnknownCommand(String),
    /// An argument is missing.
    #[error("missing {what}; usage: {usage}")]
    Missing {
        /// The argument's name.
        what: &'static str,
        /// The command's usage line.
        usage: &'static str,
    },
    /// An argument does not parse.
    #[error("{value:?} is not {expected}; usage: {usage}")]
    Invalid {
        /// The offending word (shortened).
        value: String,
        /// What was expected.
        expected: &'static str,
        /// The command's usage line.
        usage: &'static str,
    },
    /// Words are left after the last argument.
    #[error("unexpected {extra:?}; usage: {usage}")]
    TooMany {
        /// The first extra word (shortened).
        extra: String,
        /// The command's usage line.
        usage: &'static str,
    },
}
