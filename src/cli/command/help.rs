//! The command table: every verb with its aliases, usage and one-line summary. The
//! parser's error messages and `help` both read it, so they never disagree.

/// One command of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verb {
    /// What the user types.
    pub name: &'static str,
    /// Other accepted spellings, among them the action names printed in outcomes.
    pub aliases: &'static [&'static str],
    /// Usage line.
    pub usage: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// Only the host may perform it (clients send it and get it refused).
    pub host_only: bool,
}

const fn verb(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    summary: &'static str,
) -> Verb {
    Verb {
        name,
        aliases,
        usage,
        summary,
        host_only: false,
    }
}

const fn host_verb(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    summary: &'static str,
) -> Verb {
    Verb {
        host_only: true,
        ..verb(name, aliases, usage, summary)
    }
}

/// Every command, in the order `help` prints them.
pub const VERBS: &[Verb] = &[
    verb("help", &["?"], "help", "print this table"),
    verb(
        "list",
        &["ls"],
        "list [KIND|held]",
        "one line per object (optionally one kind, or what is held)",
    ),
    verb("show", &[], "show ID", "everything about one object"),
    verb(
        "stats",
        &[],
        "stats",
        "revision, digest, object count and action counters",
    ),
    verb(
        "pickup",
        &["pick_up"],
        "pickup ID",
        "pick an object up from the floor",
    ),
    verb(
        "drop",
        &[],
        "drop ID X Y Z [YAW]",
        "put a held object on the floor (millimetres, degrees)",
    ),
    verb(
        "install",
        &["install_in_rack"],
        "install ID RACK UNIT",
        "mount a held device with its lowest unit at UNIT (1..42)",
    ),
    verb(
        "remove",
        &["remove_from_rack"],
        "remove ID",
        "take a device out of its rack into your hand",
    ),
    verb(
        "power",
        &["set_power"],
        "power ID on|off",
        "switch an installed device",
    ),
    verb(
        "set",
        &["set_property"],
        "set ID ip|customer|label|app VALUE|none",
        "set or clear a device property",
    ),
    verb(
        "connect",
        &["connect_cable"],
        "connect CABLE END END",
        "plug a held cable; END is DEVICE/PORT (e.g. #2/0) or customer:N",
    ),
    verb(
        "disconnect",
        &["disconnect_cable"],
        "disconnect CABLE",
        "unplug a cable into your hand",
    ),
    verb(
        "spawn",
        &[],
        "spawn KIND X Y Z [YAW]",
        "create an object on the floor, with an id from your namespace",
    ),
    verb(
        "destroy",
        &[],
        "destroy ID",
        "remove an object from the world",
    ),
    verb(
        "insert",
        &["insert_sfp"],
        "insert MODULE SWITCH PORT",
        "put a held SFP module into a free switch port (0-based)",
    ),
    verb(
        "eject",
        &["remove_sfp", "unplug-sfp"],
        "eject MODULE",
        "take an SFP module out of its port into your hand",
    ),
    verb("repair", &[], "repair ID", "repair a broken or worn device"),
    host_verb("break", &[], "break ID", "a device fails now"),
    host_verb(
        "wear",
        &[],
        "wear SECONDS",
        "every running device wears by SECONDS",
    ),
    host_verb(
        "release",
        &[],
        "release ID X Y Z [YAW]",
        "force an object out of whatever hand holds it",
    ),
    verb(
        "event",
        &[],
        "event NAME TARGET [TEXT]",
        "send a network event (TARGET: all, others, owner[:ID], self, p2,p3)",
    ),
    verb(
        "raw",
        &[],
        "raw TARGET reliable|unreliable|sequenced TEXT",
        "send TEXT as a raw message (TARGET: others, p2,p3)",
    ),
    verb("owner", &[], "owner", "who owns the instance"),
    verb(
        "conn",
        &["connection"],
        "conn",
        "connection state, ping, loss and traffic",
    ),
    verb(
        "quit",
        &["exit"],
        "quit",
        "leave (the host: close the console, keep serving)",
    ),
];

/// The verb named `word` (its name or an alias), case-insensitively.
pub(super) fn find(word: &str) -> Option<&'static Verb> {
    VERBS.iter().find(|verb| {
        verb.name.eq_ignore_ascii_case(word)
            || verb.aliases.iter().any(|a| a.eq_ignore_ascii_case(word))
    })
}

/// The usage line of a verb known to be in the table.
pub(super) fn usage(name: &str) -> &'static str {
    find(name).map_or("", |verb| verb.usage)
}

/// The command table as text, one command per line. `host` marks where host-only
/// commands apply: on a client they are listed as refused.
pub fn help_text(host: bool) -> String {
    let width = VERBS.iter().map(|v| v.usage.len()).max().unwrap_or(0);
    let mut text = String::new();
    for verb in VERBS {
        let note = match (verb.host_only, host) {
            (true, false) => " (host only: refused)",
            (true, true) => " (host only)",
            _ => "",
        };
        text.push_str(&format!(
            "  {:<width$}  {}{note}\n",
            verb.usage, verb.summary
        ));
    }
    text.push_str("  ids print and parse as #23 (world) or #2:5 (player 2's namespace)\n");
    text
}
