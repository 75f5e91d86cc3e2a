use super::ReportInput;
use std::io::{self, Write};

pub fn render(_input: &ReportInput<'_>, _out: &mut dyn Write) -> io::Result<()> {
    todo!("human reporter")
}
