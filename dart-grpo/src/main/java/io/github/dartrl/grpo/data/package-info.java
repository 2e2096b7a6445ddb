/**
 * QA datasets: FlashRAG / Search-R1 JSONL reading and writing ({@link
 * io.github.dartrl.grpo.data.QaDataset}, {@link io.github.dartrl.grpo.data.QaExample}) with errors
 * that name the file, line and field, and a seeded, resumable epoch cursor over example indexes
 * ({@link io.github.dartrl.grpo.data.DataCursor}).
 */
package io.github.dartrl.grpo.data;
