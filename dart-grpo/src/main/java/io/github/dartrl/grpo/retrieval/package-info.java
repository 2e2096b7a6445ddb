/**
 * Retrievers: the search tool of the rollouts.
 *
 * <p>{@link io.github.dartrl.grpo.retrieval.Retriever} is the SPI; {@link
 * io.github.dartrl.grpo.retrieval.LuceneBm25Retriever} (built by {@link
 * io.github.dartrl.grpo.retrieval.Bm25IndexBuilder}) is the embedded default; {@link
 * io.github.dartrl.grpo.retrieval.SearchR1HttpRetriever} and {@link
 * io.github.dartrl.grpo.retrieval.RetrieverServer} speak Search-R1's {@code POST /retrieve} API;
 * {@link io.github.dartrl.grpo.retrieval.CachingRetriever} decorates any of them. See {@code
 * docs/retrievers.md}.
 */
package io.github.dartrl.grpo.retrieval;
