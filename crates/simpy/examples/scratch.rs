fn main() {
    let path = std::env::args().nth(1).unwrap();
    let src = std::fs::read(&path).unwrap();
    let enc = simpy::encode_bytes(&src, &Default::default()).unwrap();
    println!("{enc}");
    println!("-----");
    match simpy::decode(&enc) {
        Ok(d) => println!("{d}"),
        Err(e) => println!("ERR {e}\n{}", e.line_text),
    }
}
