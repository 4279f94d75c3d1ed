//! A cursor over the words of one command line, producing typed arguments or the
//! [`ParseError`] that names what is wrong.

use super::ParseError;
use core::str::FromStr;

/// Longest piece of user input quoted back in an error message, in characters, so a
/// pasted megabyte never becomes a megabyte of error output.
const QUOTE_CHARS: usize = 40;

/// The rest of a line, consumed word by word for one command.
pub(super) struct Words<'a> {
    rest: &'a str,
    usage: &'static str,
}

impl<'a> Words<'a> {
    /// The arguments of a command whose usage line is `usage`.
    pub(super) fn new(rest: &'a str, usage: &'static str) -> Self {
        Self { rest, usage }
    }

    /// The next whitespace-separated word, if any.
    pub(super) fn next_word(&mut self) -> Option<&'a str> {
        let trimmed = self.rest.trim_start();
        if trimmed.is_empty() {
            self.rest = trimmed;
            return None;
        }
        let end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let (word, rest) = trimmed.split_at(end);
        self.rest = rest;
        Some(word)
    }

    /// The next word, or a `Missing` error naming `what`.
    pub(super) fn word(&mut self, what: &'static str) -> Result<&'a str, ParseError> {
        self.next_word().ok_or(ParseError::Missing {
            what,
            usage: self.usage,
        })
    }

    /// The next word converted by `convert`; `expected` describes a valid word.
    pub(super) fn parsed<T>(
        &mut self,
        what: &'static str,
        expected: &'static str,
        convert: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, ParseError> {
        let word = self.word(what)?;
        convert(word).ok_or_else(|| self.invalid(word, expected))
    }

    /// The next word as a number (or anything `FromStr`).
    pub(super) fn number<T: FromStr>(
        &mut self,
        what: &'static str,
        expected: &'static str,
    ) -> Result<T, ParseError> {
        self.parsed(what, expected, |word| word.parse().ok())
    }

    /// Everything left on the line, trimmed (for free text such as labels).
    pub(super) fn remainder(&mut self) -> &'a str {
        let rest = self.rest.trim();
        self.rest = "";
        rest
    }

    /// Fails if words are left over.
    pub(super) fn finish(mut self) -> Result<(), ParseError> {
        match self.next_word() {
            None => Ok(()),
            Some(extra) => Err(ParseError::TooMany {
                extra: quote(extra),
                usage: self.usage,
            }),
        }
    }

    /// An `Invalid` error for `word`.
    pub(super) fn invalid(&self, word: &str, expected: &'static str) -> ParseError {
        ParseError::Invalid {
            value: quote(word),
            expected,
            usage: self.usage,
        }
    }
}

/// At most [`QUOTE_CHARS`] characters of `text`, cut on a character boundary.
pub(super) fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
