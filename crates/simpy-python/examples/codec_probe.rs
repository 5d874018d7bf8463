//! How encoding_rs reads byte sequences, for `scripts/python_codecs.py`: `codec_probe LABEL`
//! reads one sequence a line, in hex, and prints a JSON list of what each decodes to (`null`
//! where it is not valid).

use std::io::Read;

fn main() {
    let label = std::env::args()
        .nth(1)
        .expect("usage: codec_probe LABEL < sequences");
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).expect("a WHATWG label");
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("sequences in hex on standard input");
    let read: Vec<Option<String>> = input
        .lines()
        .map(|line| {
            let bytes: Vec<u8> = (0..line.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&line[i..i + 2], 16).expect("hex"))
                .collect();
            encoding
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .map(|text| text.into_owned())
        })
        .collect();
    println!("{}", serde_json::to_string(&read).expect("JSON"));
}
