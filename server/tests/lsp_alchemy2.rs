//! The language server on an Alchemy v2 (Effect) family: findings, definition, completion,
//! references and rename over the protocol, from a worker module that links by identity.

mod common;

use common::{codes, position_of as position, uri, TestClient};
use serde_json::json;

#[tokio::test]
async fn alchemy_links_by_identity_over_the_protocol() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-workspaces/families/alchemy2-counters-mistakes")
        .canonicalize()
        .unwrap();
    let mut client = TestClient::in_process();
    client.initialize(&root, json!({})).await;
    let file = root.join("src/workerA.ts");
    client.open(&file, "typescript").await;
    // `Counter.from(Chat)`: Chat does not host Counter.
    client
        .diagnostics_until(&uri(&file), |d| {
            codes(d).contains(&"unknown-do-class".to_string())
                && codes(d).contains(&"unknown-rpc-method".to_string())
        })
        .await;
    let text = std::fs::read_to_string(&file).unwrap();
    let doc = json!({ "uri": uri(&file) });
    // Definition: the host named in `.from(...)`, and the namespace's tag class.
    let result = client
        .request(
            "textDocument/definition",
            json!({"textDocument": doc, "position": position(&text, "Counter.from(Chat)", 14)}),
        )
        .await;
    assert_eq!(result[0]["uri"], uri(&root.join("src/chat.ts")), "{result}");
    let result = client
        .request(
            "textDocument/definition",
            json!({"textDocument": doc, "position": position(&text, "Counter.from(Chat)", 2)}),
        )
        .await;
    assert_eq!(
        result[0]["uri"],
        uri(&root.join("src/counter.ts")),
        "{result}"
    );
    // Completion inside `.from(`: the worker that does host Counter.
    let labels = client
        .completion_labels(
            doc["uri"].as_str().unwrap(),
            position(&text, "Counter.from(Chat)", 14),
        )
        .await;
    assert_eq!(labels, vec!["WorkerB"], "{labels:?}");
    // Stub methods after `rooms.getByName(key).`.
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": doc, "position": position(&text, "getByName(key).leave", 15)}),
        )
        .await;
    let labels: Vec<&str> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"join"), "{labels:?}");
    // References of the namespace span the workers that use it.
    let result = client
        .request(
            "textDocument/references",
            json!({"textDocument": doc, "position": position(&text, "Counter.from(Chat)", 2), "context": {"includeDeclaration": true}}),
        )
        .await;
    let files: Vec<&str> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    for f in [
        "src/counter.ts",
        "src/workerA.ts",
        "src/workerB.ts",
        "src/api.ts",
    ] {
        let u = uri(&root.join(f));
        assert!(files.contains(&u.as_str()), "{f}: {files:?}");
    }
    // Rename of the tag class edits every module that uses it (the id string stays).
    let result = client
        .request(
            "textDocument/rename",
            json!({"textDocument": doc, "position": position(&text, "Counter.from(Chat)", 2), "newName": "Tally"}),
        )
        .await;
    let changes = result["changes"].as_object().expect("workspace edit");
    for f in ["src/counter.ts", "src/workerA.ts", "src/workerB.ts"] {
        assert!(changes.contains_key(&uri(&root.join(f))), "{f}: {result}");
    }
    client.shutdown().await;
}
