// Writes the MMLU Parquet reference files of this folder from the testbed's mmlu-dev.csv, in the schema of
// Hugging Face's cais/mmlu (question: string, subject: string, choices: list<string>, answer: int64), with
// Apache Arrow's Rust Parquet writer (npm parquet-wasm) and checks every file by reading it back with an
// independent reader (npm hyparquet). See README.md for the exact command and versions.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import * as parquet from "parquet-wasm";
import { parquetReadObjects } from "hyparquet";

const [csvPath, outDir] = process.argv.slice(2);
if (!csvPath || !outDir) {
  throw new Error("usage: node make-parquet.mjs <mmlu-dev.csv> <output dir>");
}
// The testbed has no subject column; its model card prompts with "general knowledge", written here the way
// MMLU writes subjects (underscores), so the Parquet items prompt exactly as the CSV ones do.
const SUBJECT = "general_knowledge";

/** RFC 4180 rows of a header-less CSV (fields may be quoted and double their quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') { quoted = false; }
      else { field += c; }
    } else if (c === '"' && field === "") { quoted = true; }
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (c !== "\r") { field += c; }
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

const rows = parseCsv(readFileSync(csvPath, "utf8")).map((fields, i) => {
  if (fields.length !== 6) throw new Error(`${csvPath}:${i + 1}: expected 6 fields, found ${fields.length}`);
  const answer = "ABCD".indexOf(fields[5]);
  if (answer < 0) throw new Error(`${csvPath}:${i + 1}: answer '${fields[5]}' is not A-D`);
  return { question: fields[0], subject: SUBJECT, choices: fields.slice(1, 5), answer };
});

/**
 * An Arrow table in cais/mmlu's schema; `listItem` names the list's child field ("element" or "item"); the
 * answer column may be given another type and values, and `omit` names a column to leave out.
 */
function table(listItem, answerType = new arrow.Int64(), answers = rows.map((r) => BigInt(r.answer)), omit = null,
    source = rows) {
  const schema = new arrow.Schema([
    new arrow.Field("question", new arrow.Utf8(), true),
    new arrow.Field("subject", new arrow.Utf8(), true),
    new arrow.Field("choices", new arrow.List(new arrow.Field(listItem, new arrow.Utf8(), true)), true),
    new arrow.Field("answer", answerType, true),
  ].filter((f) => f.name !== omit));
  const choicesType = new arrow.List(new arrow.Field(listItem, new arrow.Utf8(), true));
  const columns = {
    question: arrow.vectorFromArray(source.map((r) => r.question), new arrow.Utf8()),
    subject: arrow.vectorFromArray(source.map((r) => r.subject), new arrow.Utf8()),
    choices: arrow.vectorFromArray(source.map((r) => r.choices), choicesType),
    answer: arrow.vectorFromArray(answers, answerType),
  };
  return new arrow.Table(schema, arrow.makeData({
    type: new arrow.Struct(schema.fields), length: source.length, nullCount: 0,
    children: schema.fields.map((f) => columns[f.name].data[0]),
  }));
}

function write(name, arrowTable, configure) {
  const props = configure(new parquet.WriterPropertiesBuilder()).build();
  const wasmTable = parquet.Table.fromIPCStream(arrow.tableToIPC(arrowTable, "stream"));
  const bytes = parquet.writeParquet(wasmTable, props);
  writeFileSync(join(outDir, name), bytes);
  return bytes;
}

/** Reads a file back with hyparquet and requires exactly the CSV's rows. */
async function check(name, bytes) {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const back = await parquetReadObjects({ file: buffer });
  const expected = JSON.stringify(rows);
  const actual = JSON.stringify(back.map((r) => ({ ...r, answer: Number(r.answer) })));
  if (actual !== expected) throw new Error(`${name}: hyparquet reads other rows than the CSV has`);
  console.log(`${name}: ${bytes.length} bytes, ${back.length} rows read back by hyparquet`);
}

const files = {
  // pyarrow's defaults (what HF's files use): Snappy, data page v1, dictionary encoding, one row group.
  "mmlu-dev-snappy.parquet": [table("element"), (b) => b
      .setCompression(parquet.Compression.SNAPPY).setWriterVersion(parquet.WriterVersion.V1)
      .setDictionaryEnabled(true)],
  // Data page v2, RLE_DICTIONARY, four row groups of at most 64 rows and pages of about 512 bytes, so lists
  // cross page boundaries; the list's child is named "item" as pyarrow < 13 wrote it.
  "mmlu-dev-v2-dictionary.parquet": [table("item"), (b) => b
      .setCompression(parquet.Compression.SNAPPY).setWriterVersion(parquet.WriterVersion.V2)
      .setDictionaryEnabled(true).setMaxRowGroupSize(64).setDataPageSizeLimit(512).setWriteBatchSize(16)],
  // PLAIN encoding, no compression.
  "mmlu-dev-plain-uncompressed.parquet": [table("element"), (b) => b
      .setCompression(parquet.Compression.UNCOMPRESSED).setWriterVersion(parquet.WriterVersion.V1)
      .setDictionaryEnabled(false)],
};
for (const [name, [t, configure]] of Object.entries(files)) {
  await check(name, write(name, t, configure));
}
// A wrong schema: the answer as a letter string, as in the CSV layout.
write("mmlu-answer-letter.parquet", table("element", new arrow.Utf8(), rows.map((r) => "ABCD"[r.answer])),
    (b) => b.setCompression(parquet.Compression.SNAPPY));
// No choices column at all.
write("mmlu-no-choices.parquet", table("element", undefined, undefined, "choices"),
    (b) => b.setCompression(parquet.Compression.SNAPPY));
// Five rows, three of them bad: an answer outside 0-3, three choices, a null question.
const bad = [
  rows[0],
  { ...rows[1], answer: 7 },
  { ...rows[2], choices: rows[2].choices.slice(0, 3) },
  { ...rows[3], question: null },
  rows[4],
];
write("mmlu-bad-rows.parquet", table("element", new arrow.Int64(), bad.map((r) => BigInt(r.answer)), null, bad),
    (b) => b.setCompression(parquet.Compression.SNAPPY));
writeFileSync(join(outDir, "mmlu-dev-expected.json"), JSON.stringify(rows, null, 1) + "\n");
