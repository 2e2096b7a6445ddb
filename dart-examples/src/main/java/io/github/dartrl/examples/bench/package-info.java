/**
 * The benchmarks behind {@code dart4j bench} and docs/performance.md: decode and training
 * throughput, retriever latency and load, a soak run for leaks, memory probes, the description of
 * the machine a figure was measured on, and the writer of the generated section of the performance
 * page.
 */
package io.github.dartrl.examples.bench;
