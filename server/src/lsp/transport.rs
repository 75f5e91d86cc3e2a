//! The JSON-RPC transport: framing, message validation and the LSP lifecycle, in front of
//! `tower-lsp-server`'s [`LspService`].
//!
//! tower-lsp-server's own `Server` stops reading after the first frame it cannot decode, answers
//! `$/` requests never, and takes `exit` and `shutdown` as they come. This module replaces it:
//!
//! - [`Decoder`] splits the byte stream into frames. A header block without a usable
//!   `Content-Length` (missing, not a number, a line that is no header) is answered with a
//!   parse error (-32700, id null) and the reader resynchronises at the next `Content-Length:`.
//!   A body over [`MAX_BODY_BYTES`] is skipped by its length and answered with -32600. Input in
//!   which no header follows within [`MAX_RESYNC_BYTES`], or that ends inside a frame, cannot
//!   be resynchronised: it is logged to stderr and the server exits with [`EXIT_BAD_INPUT`].
//! - [`classify`] checks each body: not JSON is -32700; a batch, a non-object, an id that is
//!   neither a string nor an integer of 64 bits (a float, 2^64), a `jsonrpc` other than `"2.0"`
//!   or a method that is not a string is -32600 (with the id when it is valid, else null).
//! - The lifecycle: a request whose method starts with `$/` is answered -32601 (a `$/`
//!   notification other than `$/cancelRequest` is ignored); `exit` ends the server with 0
//!   after a `shutdown` request and 1 without; a `shutdown` sent as a notification is ignored;
//!   the end of the input ends the server the same way `exit` does.
//! - When a write to the client fails (it closed our stdout: EPIPE), the server ends with
//!   [`EXIT_OUTPUT_CLOSED`].

use futures::channel::mpsc as fmpsc;
use futures::future::BoxFuture;
use futures::{FutureExt, SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower::Service;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::{ClientSocket, ExitedError};

/// A header block longer than this is not a header.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;
/// The largest body taken; a larger one is skipped by its length.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// How far the reader looks for the next header after a bad one before it gives up.
pub const MAX_RESYNC_BYTES: usize = MAX_BODY_BYTES + MAX_HEADER_BYTES;
/// How many requests run at once (as tower-lsp-server's `Server`).
const MAX_CONCURRENCY: usize = 4;

/// `exit` after `shutdown`.
pub const EXIT_OK: i32 = 0;
/// `exit`, or the end of the input, without `shutdown` (LSP: "exit code 1").
pub const EXIT_WITHOUT_SHUTDOWN: i32 = 1;
/// The client closed the server's output.
pub const EXIT_OUTPUT_CLOSED: i32 = 3;
/// Input that cannot be resynchronised into frames.
pub const EXIT_BAD_INPUT: i32 = 4;

const HEADER_NAME: &[u8] = b"content-length:";

/// One unit of the input stream.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A complete body.
    Body(Vec<u8>),
    /// A header block that gives no usable length, and why.
    BadHeader(String),
    /// A body over [`MAX_BODY_BYTES`], being skipped.
    TooLarge(usize),
}

#[derive(Debug, Default, PartialEq, Eq)]
enum State {
    #[default]
    Header,
    Body(usize),
    Skip(usize),
    /// Looking for the next `Content-Length:`; how many bytes were dropped so far.
    Resync(usize),
}

/// Splits bytes into frames (`Content-Length: N\r\n\r\n` then N bytes), without I/O.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    state: State,
}

/// Why the stream cannot go on.
#[derive(Debug, PartialEq, Eq)]
pub struct Unrecoverable(pub String);

fn find_header_name(hay: &[u8]) -> Option<usize> {
    hay.windows(HEADER_NAME.len())
        .position(|w| w.eq_ignore_ascii_case(HEADER_NAME))
}

fn is_token(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
}

/// A header block's verdict.
enum HeaderBlock {
    /// More bytes are needed.
    Incomplete,
    /// A valid block of `len` bytes giving the body's length.
    Length { block: usize, body: usize },
    /// A syntactically valid block of `len` bytes without a usable length.
    NoLength { block: usize, why: String },
    /// A line that is no header, starting at `line`.
    BadLine { line: usize },
}

fn parse_header(buf: &[u8]) -> HeaderBlock {
    let mut at = 0;
    let mut length: Option<Result<usize, String>> = None;
    loop {
        let Some(nl) = buf[at..].iter().position(|&b| b == b'\n') else {
            return HeaderBlock::Incomplete;
        };
        let line = &buf[at..at + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let next = at + nl + 1;
        if line.is_empty() {
            return match length {
                Some(Ok(body)) => HeaderBlock::Length { block: next, body },
                Some(Err(why)) => HeaderBlock::NoLength { block: next, why },
                None => HeaderBlock::NoLength {
                    block: next,
                    why: "the header has no Content-Length".into(),
                },
            };
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return HeaderBlock::BadLine { line: at };
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if !is_token(name) {
            return HeaderBlock::BadLine { line: at };
        }
        if name.eq_ignore_ascii_case(b"content-length") {
            let value = String::from_utf8_lossy(value).trim().to_string();
            let parsed = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                value
                    .parse::<usize>()
                    .map_err(|_| format!("Content-Length `{value}` is too large"))
            } else {
                Err(format!("Content-Length `{value}` is not a length"))
            };
            length = Some(match (length, parsed) {
                (Some(Ok(a)), Ok(b)) if a != b => Err("two different Content-Length".into()),
                (Some(Err(e)), _) => Err(e),
                (_, p) => p,
            });
        }
        at = next;
    }
}

impl Decoder {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next frame; `Ok(None)` when more input is needed.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, Unrecoverable> {
        loop {
            match self.state {
                State::Header => {
                    // Blank lines between frames are tolerated.
                    let blank = self
                        .buf
                        .iter()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                    self.buf.drain(..blank);
                    if self.buf.is_empty() {
                        return Ok(None);
                    }
                    match parse_header(&self.buf) {
                        HeaderBlock::Incomplete if self.buf.len() <= MAX_HEADER_BYTES => {
                            return Ok(None)
                        }
                        HeaderBlock::Incomplete => {
                            self.buf.drain(..1);
                            self.state = State::Resync(1);
                            return Ok(Some(Frame::BadHeader(format!(
                                "no end of the header within {MAX_HEADER_BYTES} bytes"
                            ))));
                        }
                        HeaderBlock::Length { block, body } => {
                            self.buf.drain(..block);
                            if body > MAX_BODY_BYTES {
                                self.state = State::Skip(body);
                                return Ok(Some(Frame::TooLarge(body)));
                            }
                            self.state = State::Body(body);
                        }
                        HeaderBlock::NoLength { block, why } => {
                            self.buf.drain(..block);
                            self.state = State::Resync(block);
                            return Ok(Some(Frame::BadHeader(why)));
                        }
                        HeaderBlock::BadLine { line } => {
                            // The next header may start inside this line (a body sent without
                            // a header, then a frame): look from its second byte on.
                            self.buf.drain(..line + 1);
                            self.state = State::Resync(line + 1);
                            return Ok(Some(Frame::BadHeader(
                                "the message has no Content-Length header".into(),
                            )));
                        }
                    }
                }
                State::Body(n) => {
                    if self.buf.len() < n {
                        return Ok(None);
                    }
                    let rest = self.buf.split_off(n);
                    let body = std::mem::replace(&mut self.buf, rest);
                    self.state = State::Header;
                    return Ok(Some(Frame::Body(body)));
                }
                State::Skip(n) => {
                    let k = n.min(self.buf.len());
                    self.buf.drain(..k);
                    if k < n {
                        self.state = State::Skip(n - k);
                        return Ok(None);
                    }
                    self.state = State::Header;
                }
                State::Resync(dropped) => match find_header_name(&self.buf) {
                    Some(at) => {
                        self.buf.drain(..at);
                        self.state = State::Header;
                    }
                    None => {
                        // Keep what could be the start of a header name split across reads.
                        let keep = (HEADER_NAME.len() - 1).min(self.buf.len());
                        let drop = self.buf.len() - keep;
                        self.buf.drain(..drop);
                        let dropped = dropped + drop;
                        if dropped > MAX_RESYNC_BYTES {
                            return Err(Unrecoverable(format!(
                                "no message header in {dropped} bytes of input"
                            )));
                        }
                        self.state = State::Resync(dropped);
                        return Ok(None);
                    }
                },
            }
        }
    }

    /// At the end of the input: whether it ended between frames.
    pub fn finish(&self) -> Result<(), Unrecoverable> {
        let pending = self.buf.iter().any(|b| !matches!(b, b'\r' | b'\n'));
        match self.state {
            State::Header if !pending => Ok(()),
            State::Header => Err(Unrecoverable(
                "the input ended inside a message header".into(),
            )),
            State::Body(n) => Err(Unrecoverable(format!(
                "the input ended inside a message ({} of {n} bytes)",
                self.buf.len()
            ))),
            State::Skip(_) => Err(Unrecoverable("the input ended inside a message".into())),
            State::Resync(_) => Err(Unrecoverable(
                "the input ended after a bad message header".into(),
            )),
        }
    }
}

/// What a body is.
#[derive(Debug)]
pub enum Incoming {
    /// A request (with an id) or a notification.
    Request(Request),
    /// A response to a request the server sent.
    Response(Response),
    /// Not a valid message: answered with this error.
    Invalid(Response),
    /// Not worth an answer (a malformed response from the client).
    Ignored(String),
}

fn invalid(id: Id, code: ErrorCode, message: impl Into<String>) -> Incoming {
    Incoming::Invalid(Response::from_error(
        id,
        Error {
            code,
            message: message.into().into(),
            data: None,
        },
    ))
}

/// Checks one body against JSON-RPC 2.0 (and the ids tower-lsp-server can represent).
pub fn classify(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return invalid(Id::Null, ErrorCode::ParseError, format!("parse error: {e}")),
    };
    let mut obj = match value {
        Value::Object(obj) => obj,
        Value::Array(_) => {
            return invalid(
                Id::Null,
                ErrorCode::InvalidRequest,
                "batches are not supported",
            )
        }
        _ => {
            return invalid(
                Id::Null,
                ErrorCode::InvalidRequest,
                "a message is a JSON object",
            )
        }
    };
    let id = match obj.get("id") {
        None => None,
        Some(Value::Null) => Some(Id::Null),
        Some(Value::String(s)) => Some(Id::String(s.clone())),
        Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().map(Id::Number),
        Some(_) => {
            return invalid(
                Id::Null,
                ErrorCode::InvalidRequest,
                "an id is a string or an integer of at most 64 bits",
            )
        }
    };
    let echo = id.clone().unwrap_or(Id::Null);
    if obj.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return invalid(echo, ErrorCode::InvalidRequest, "`jsonrpc` must be \"2.0\"");
    }
    match obj.get("method") {
        Some(Value::String(_)) => {
            // Built from the parsed parts: the body is parsed once, and the params (a whole
            // document's text in a `didChange`) are moved, not copied.
            let Some(Value::String(method)) = obj.remove("method") else {
                unreachable!("a string method, checked above")
            };
            let mut req = Request::build(method);
            if let Some(params) = obj.remove("params") {
                req = req.params(params);
            }
            if let Some(id) = id {
                req = req.id(id);
            }
            Incoming::Request(req.finish())
        }
        Some(_) => invalid(echo, ErrorCode::InvalidRequest, "`method` must be a string"),
        None if id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) => {
            match serde_json::from_value::<Response>(Value::Object(obj)) {
                Ok(res) => Incoming::Response(res),
                Err(e) => Incoming::Ignored(format!("a malformed response: {e}")),
            }
        }
        None => invalid(
            echo,
            ErrorCode::InvalidRequest,
            "neither a request nor a response",
        ),
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn encode<T: serde::Serialize>(msg: &T) -> Vec<u8> {
    // Our own types: serialising them cannot fail.
    frame(&serde_json::to_vec(msg).unwrap_or_default())
}

type Task = BoxFuture<'static, Option<Response>>;

/// Serves `service` over `input`/`output` until `exit`, the end of the input, unrecoverable
/// input or a failed write; returns the process exit code.
pub async fn serve<S, I, O>(mut service: S, socket: ClientSocket, input: I, output: O) -> i32
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError> + Send,
    S::Future: Send + 'static,
    I: AsyncRead + Unpin,
    O: AsyncWrite + Unpin,
{
    let (client_requests, mut client_responses) = socket.split();
    let (out_tx, mut out_rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
    let (mut tasks_tx, tasks_rx) = fmpsc::channel::<Task>(100);

    let write = async move {
        let mut output = output;
        while let Some(bytes) = out_rx.recv().await {
            output.write_all(&bytes).await?;
            output.flush().await?;
        }
        std::io::Result::Ok(())
    };
    let forward = {
        let out = out_tx.clone();
        client_requests.for_each(move |r| {
            let _ = out.send(encode(&r));
            futures::future::ready(())
        })
    };
    let process = {
        let out = out_tx.clone();
        tasks_rx
            .buffer_unordered(MAX_CONCURRENCY)
            .for_each(move |r| {
                if let Some(r) = r {
                    let _ = out.send(encode(&r));
                }
                futures::future::ready(())
            })
    };
    let read = async move {
        let mut input = input;
        let mut decoder = Decoder::default();
        let mut chunk = vec![0u8; 64 * 1024];
        let mut shut_down = false;
        let lifecycle_end = |shut_down: bool| {
            if shut_down {
                EXIT_OK
            } else {
                EXIT_WITHOUT_SHUTDOWN
            }
        };
        loop {
            loop {
                let frame = match decoder.next_frame() {
                    Ok(Some(f)) => f,
                    Ok(None) => break,
                    Err(Unrecoverable(why)) => {
                        eprintln!("workers-lsp: unreadable input: {why}; exiting");
                        return EXIT_BAD_INPUT;
                    }
                };
                let body = match frame {
                    Frame::Body(body) => body,
                    Frame::BadHeader(why) => {
                        let _ = out_tx.send(encode(&error(Id::Null, ErrorCode::ParseError, why)));
                        continue;
                    }
                    Frame::TooLarge(n) => {
                        let _ = out_tx.send(encode(&error(
                            Id::Null,
                            ErrorCode::InvalidRequest,
                            format!(
                                "a message of {n} bytes is over the {MAX_BODY_BYTES} byte limit"
                            ),
                        )));
                        continue;
                    }
                };
                let req = match classify(&body) {
                    Incoming::Request(req) => req,
                    Incoming::Response(res) => {
                        let _ = client_responses.send(res).await;
                        continue;
                    }
                    Incoming::Invalid(res) => {
                        let _ = out_tx.send(encode(&res));
                        continue;
                    }
                    Incoming::Ignored(why) => {
                        eprintln!("workers-lsp: ignored {why}");
                        continue;
                    }
                };
                let method = req.method().to_string();
                match (method.as_str(), req.id().cloned()) {
                    ("exit", None) => return lifecycle_end(shut_down),
                    ("exit", Some(id)) => {
                        let _ = out_tx.send(encode(&error(
                            id,
                            ErrorCode::InvalidRequest,
                            "`exit` is a notification",
                        )));
                        continue;
                    }
                    ("shutdown", None) => {
                        eprintln!("workers-lsp: ignored `shutdown` sent as a notification");
                        continue;
                    }
                    ("shutdown", Some(_)) => shut_down = true,
                    ("$/cancelRequest", None) => {}
                    (m, Some(id)) if m.starts_with("$/") => {
                        let _ = out_tx.send(encode(&error(
                            id,
                            ErrorCode::MethodNotFound,
                            format!("method not found: {m}"),
                        )));
                        continue;
                    }
                    (m, None) if m.starts_with("$/") => continue,
                    _ => {}
                }
                if futures::future::poll_fn(|cx| service.poll_ready(cx))
                    .await
                    .is_err()
                {
                    return lifecycle_end(shut_down);
                }
                let task = service.call(req).map(|r| r.ok().flatten()).boxed();
                if tasks_tx.send(task).await.is_err() {
                    return lifecycle_end(shut_down);
                }
            }
            match input.read(&mut chunk).await {
                Ok(0) => {
                    if let Err(Unrecoverable(why)) = decoder.finish() {
                        eprintln!("workers-lsp: unreadable input: {why}; exiting");
                        return EXIT_BAD_INPUT;
                    }
                    return lifecycle_end(shut_down);
                }
                Ok(n) => decoder.push(&chunk[..n]),
                Err(e) => {
                    eprintln!("workers-lsp: cannot read the input: {e}; exiting");
                    return EXIT_BAD_INPUT;
                }
            }
        }
    };
    let background = async {
        futures::join!(forward, process);
        std::future::pending::<()>().await
    };
    tokio::select! {
        code = read => code,
        result = write => {
            if let Err(e) = result {
                eprintln!("workers-lsp: cannot write to the client: {e}; exiting");
            }
            EXIT_OUTPUT_CLOSED
        }
        _ = background => unreachable!("pending forever"),
    }
}

fn error(id: Id, code: ErrorCode, message: impl Into<String>) -> Response {
    Response::from_error(
        id,
        Error {
            code,
            message: message.into().into(),
            data: None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<Frame>, Result<(), Unrecoverable>) {
        let mut d = Decoder::default();
        let mut out = Vec::new();
        // Byte by byte: no frame may depend on how the input was split.
        for b in input {
            d.push(std::slice::from_ref(b));
            loop {
                match d.next_frame() {
                    Ok(Some(f)) => out.push(f),
                    Ok(None) => break,
                    Err(e) => return (out, Err(e)),
                }
            }
        }
        (out, d.finish())
    }

    fn msg(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn bodies(fs: &[Frame]) -> Vec<String> {
        fs.iter()
            .map(|f| match f {
                Frame::Body(b) => String::from_utf8_lossy(b).into_owned(),
                Frame::BadHeader(_) => "<bad header>".into(),
                Frame::TooLarge(n) => format!("<too large {n}>"),
            })
            .collect()
    }

    #[test]
    fn frames_split_anywhere_and_headers_are_case_insensitive() {
        let input = format!(
            "{}\r\ncontent-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[]{}",
            msg("{}"),
            msg("{\"a\":1}")
        );
        let (fs, end) = frames(input.as_bytes());
        assert_eq!(bodies(&fs), vec!["{}", "[]", "{\"a\":1}"]);
        assert_eq!(end, Ok(()));
    }

    #[test]
    fn a_bad_length_is_one_error_then_the_next_frame() {
        for bad in [
            "Content-Length: abc\r\n\r\n{\"x\":1}",
            "Content-Length: -5\r\n\r\n{\"x\":1}",
            "Content-Length: 99999999999999999999999\r\n\r\n{\"x\":1}",
            "Content-Type: x\r\n\r\n{\"x\":1}",
            "Content-Length: 3\r\nContent-Length: 4\r\n\r\n{\"x\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}",
            "garbage without any newline",
            "\u{0}\u{1}binary\r\n\r\n",
        ] {
            let input = format!("{bad}{}", msg("{}"));
            let (fs, end) = frames(input.as_bytes());
            assert_eq!(bodies(&fs), vec!["<bad header>", "{}"], "{bad:?}");
            assert_eq!(end, Ok(()), "{bad:?}");
        }
    }

    #[test]
    fn a_body_over_the_limit_is_skipped_by_its_length() {
        let mut d = Decoder::default();
        let n = MAX_BODY_BYTES + 1;
        d.push(format!("Content-Length: {n}\r\n\r\n").as_bytes());
        assert_eq!(d.next_frame(), Ok(Some(Frame::TooLarge(n))));
        let chunk = vec![b'x'; 1 << 20];
        let mut left = n;
        while left > 0 {
            let k = left.min(chunk.len());
            d.push(&chunk[..k]);
            left -= k;
            assert_eq!(d.next_frame(), Ok(None));
            assert!(d.buf.len() < 64, "skipped bytes are not kept");
        }
        d.push(msg("{}").as_bytes());
        assert_eq!(d.next_frame(), Ok(Some(Frame::Body(b"{}".to_vec()))));
    }

    #[test]
    fn input_without_a_header_cannot_be_resynchronised_forever() {
        let mut d = Decoder::default();
        d.push(b"Content-Length: x\r\n\r\n");
        assert!(matches!(d.next_frame(), Ok(Some(Frame::BadHeader(_)))));
        let chunk = vec![b'x'; 1 << 20];
        let mut result = Ok(None);
        for _ in 0..(MAX_RESYNC_BYTES >> 20) + 2 {
            d.push(&chunk);
            result = d.next_frame();
            if result.is_err() {
                break;
            }
            assert!(d.buf.len() < 64, "dropped bytes are not kept");
        }
        assert!(result.is_err(), "{result:?}");
    }

    #[test]
    fn the_end_of_input_inside_a_frame_is_unrecoverable() {
        for cut in [
            "Content-Length: 10\r\n\r\n{}",
            "Content-Len",
            "Content-Length: 2\r\n",
        ] {
            let (_, end) = frames(cut.as_bytes());
            assert!(end.is_err(), "{cut:?}");
        }
        assert_eq!(frames(b"\r\n").1, Ok(()));
    }

    fn code_and_id(body: &str) -> (i64, Value) {
        match classify(body.as_bytes()) {
            Incoming::Invalid(r) => {
                let v = serde_json::to_value(&r).unwrap();
                (v["error"]["code"].as_i64().unwrap(), v["id"].clone())
            }
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn invalid_messages_get_the_json_rpc_error_and_the_id_when_it_is_valid() {
        let cases: &[(&str, i64, Value)] = &[
            ("{not json", -32700, Value::Null),
            ("", -32700, Value::Null),
            (
                &format!("{}1{}", "[".repeat(1000), "]".repeat(1000)),
                -32700,
                Value::Null,
            ),
            (
                r#"[{"jsonrpc":"2.0","id":1,"method":"shutdown"}]"#,
                -32600,
                Value::Null,
            ),
            ("[]", -32600, Value::Null),
            ("42", -32600, Value::Null),
            (
                r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#,
                -32600,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"x"}"#,
                -32600,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":9223372036854775808,"method":"x"}"#,
                -32600,
                Value::Null,
            ),
            (
                r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#,
                -32600,
                Value::Null,
            ),
            (r#"{"jsonrpc":"2.0","id":7,"method":5}"#, -32600, 7.into()),
            (r#"{"jsonrpc":"2.0","method":null}"#, -32600, Value::Null),
            (
                r#"{"jsonrpc":"1.0","id":"a","method":"x"}"#,
                -32600,
                "a".into(),
            ),
            (r#"{"id":3,"method":"x"}"#, -32600, 3.into()),
            (r#"{"jsonrpc":"2.0","id":3}"#, -32600, 3.into()),
        ];
        for (body, code, id) in cases {
            assert_eq!(code_and_id(body), (*code, id.clone()), "{body}");
        }
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"x"}"#),
            Incoming::Request(_)
        ));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
            Incoming::Request(_)
        ));
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","id":"r1","result":null}"#),
            Incoming::Response(_)
        ));
    }
}
