/**
 * The {@code compare} job: DART vs single LoRA vs full fine-tuning vs 2-Agent on the bundled world,
 * with the same warm start, GRPO config, data order, sampling seeds and step count per seed ({@link
 * io.github.dartrl.examples.compare.Compare}); results as JSON lines, CSV, a Markdown table of EM
 * per data_source (mean ± std over seeds) and plots.
 */
package io.github.dartrl.examples.compare;
