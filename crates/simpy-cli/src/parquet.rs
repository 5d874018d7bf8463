//! Parquet shards (The Stack, starcoderdata: a `content` column and others): converted row
//! group by row group, every input column kept, the converted column and an error column
//! added; and the rows of a column, batch by batch, for `report`. Memory holds one row group,
//! whatever the size of the shard.

use anyhow::{bail, Context};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, LargeStringArray, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// Rows read and converted at a time (a row group may hold many more).
const BATCH_ROWS: usize = 1024;

pub fn is_parquet(path: &Path) -> bool {
    crate::files::extension(path) == "parquet"
}

/// An open shard: its metadata read once, its row groups read one at a time.
pub struct Shard {
    file: File,
    metadata: ArrowReaderMetadata,
    column: usize,
}

impl Shard {
    pub fn open(path: &Path, column: &str) -> anyhow::Result<Shard> {
        let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::default())
            .with_context(|| format!("{} is not a Parquet file", path.display()))?;
        let schema = metadata.schema();
        let Some((index, field)) = schema.column_with_name(column) else {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            bail!(
                "{} has no column `{column}`; its columns: {} (choose one with --column)",
                path.display(),
                names.join(", ")
            );
        };
        if !is_text(field.data_type()) {
            bail!(
                "column `{column}` of {} holds {}, not text",
                path.display(),
                field.data_type()
            );
        }
        Ok(Shard {
            file,
            metadata,
            column: index,
        })
    }

    pub fn rows(&self) -> u64 {
        let meta = self.metadata.metadata();
        meta.row_groups().iter().map(|g| g.num_rows() as u64).sum()
    }

    pub fn schema(&self) -> &SchemaRef {
        self.metadata.schema()
    }

    /// Calls `each` with every batch of a row group, then `end_of_group`, group by group.
    pub fn for_each_batch(
        &self,
        mut each: impl FnMut(&RecordBatch, Vec<Option<&[u8]>>) -> anyhow::Result<()>,
        mut end_of_group: impl FnMut() -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        for group in 0..self.metadata.metadata().num_row_groups() {
            let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(
                self.file.try_clone()?,
                self.metadata.clone(),
            )
            .with_row_groups(vec![group])
            .with_batch_size(BATCH_ROWS)
            .build()?;
            for batch in reader {
                let batch = batch.with_context(|| format!("row group {group}"))?;
                let texts = texts(batch.column(self.column).as_ref());
                each(&batch, texts)?;
            }
            end_of_group()?;
        }
        Ok(())
    }
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
    )
}

/// The values of a text column as bytes (binary columns hold sources in any PEP 263 encoding).
fn texts(array: &dyn Array) -> Vec<Option<&[u8]>> {
    if let Some(a) = array.as_string_opt::<i32>() {
        a.iter().map(|s| s.map(str::as_bytes)).collect()
    } else if let Some(a) = array.as_string_opt::<i64>() {
        a.iter().map(|s| s.map(str::as_bytes)).collect()
    } else if let Some(a) = array.as_string_view_opt() {
        a.iter().map(|s| s.map(str::as_bytes)).collect()
    } else if let Some(a) = array.as_binary_opt::<i32>() {
        a.iter().collect()
    } else if let Some(a) = array.as_binary_opt::<i64>() {
        a.iter().collect()
    } else if let Some(a) = array.as_binary_view_opt() {
        a.iter().collect()
    } else {
        unreachable!("Shard::open accepts text columns only")
    }
}

/// What a shard's conversion did.
pub struct Converted {
    pub rows: u64,
    pub failed: u64,
    pub null: u64,
    /// The first failures, `row: line:col: message`.
    pub examples: Vec<String>,
}

/// Writes `output`: `shard`'s columns, then `into` (the converted text) and `into_error`.
/// The file appears only when complete (a temporary file renamed).
pub fn convert(
    shard: &Shard,
    output: &Path,
    into: &str,
    convert: impl Fn(&[u8]) -> Result<String, simpy::Error> + Sync,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<Converted> {
    let error_column = format!("{into}_error");
    for name in [into, error_column.as_str()] {
        if shard.schema().column_with_name(name).is_some() {
            bail!("the shard already has a column `{name}`; name another with --output-column");
        }
    }
    let schema = output_schema(shard.schema(), into, &error_column);
    let properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    crate::files::write_atomically_with(output, |file| {
        let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(properties))?;
        let mut done = Converted {
            rows: 0,
            failed: 0,
            null: 0,
            examples: Vec::new(),
        };
        let writer_cell = std::cell::RefCell::new(&mut writer);
        shard.for_each_batch(
            |batch, texts| {
                let results: Vec<Option<Result<String, simpy::Error>>> =
                    texts.par_iter().map(|text| text.map(&convert)).collect();
                let mut column: Vec<Option<String>> = Vec::with_capacity(results.len());
                let mut errors: Vec<Option<String>> = Vec::with_capacity(results.len());
                for (i, result) in results.into_iter().enumerate() {
                    match result {
                        None => {
                            done.null += 1;
                            column.push(None);
                            errors.push(None);
                        }
                        Some(Ok(text)) => {
                            column.push(Some(text));
                            errors.push(None);
                        }
                        Some(Err(e)) => {
                            done.failed += 1;
                            if done.examples.len() < 5 {
                                done.examples
                                    .push(format!("row {}: {e}", done.rows + i as u64));
                            }
                            column.push(None);
                            errors.push(Some(e.to_string()));
                        }
                    }
                }
                done.rows += batch.num_rows() as u64;
                progress.inc(batch.num_rows() as u64);
                let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
                columns.push(Arc::new(LargeStringArray::from(column)));
                columns.push(Arc::new(LargeStringArray::from(errors)));
                let out = RecordBatch::try_new(schema.clone(), columns)?;
                writer_cell.borrow_mut().write(&out)?;
                Ok(())
            },
            // One output row group per input row group: what was read is written and let go.
            || Ok(writer_cell.borrow_mut().flush()?),
        )?;
        writer.close()?;
        Ok(done)
    })
}

/// The input schema with the two new columns; the `huggingface` metadata (the `datasets`
/// features) gets them too, so `datasets` reads the new file without a mismatch.
fn output_schema(input: &Schema, into: &str, error_column: &str) -> SchemaRef {
    let mut fields: Vec<Arc<Field>> = input.fields().iter().cloned().collect();
    fields.push(Arc::new(Field::new(into, DataType::LargeUtf8, true)));
    fields.push(Arc::new(Field::new(
        error_column,
        DataType::LargeUtf8,
        true,
    )));
    let mut metadata = input.metadata().clone();
    let features = metadata
        .get("huggingface")
        .and_then(|hf| serde_json::from_str::<serde_json::Value>(hf).ok())
        .and_then(|mut value| {
            let features = value.pointer_mut("/info/features")?.as_object_mut()?;
            for name in [into, error_column] {
                features.insert(
                    name.to_owned(),
                    serde_json::json!({"dtype": "large_string", "_type": "Value"}),
                );
            }
            Some(value.to_string())
        });
    if let Some(features) = features {
        metadata.insert("huggingface", features);
    }
    Arc::new(Schema::new_with_metadata(fields, metadata))
}
