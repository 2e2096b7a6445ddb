/**
 * The tool SPI: {@link io.github.dartrl.grpo.tool.Tool} (a name, a call span, a batched {@code
 * execute} from call texts to observation texts) and the {@link
 * io.github.dartrl.grpo.tool.ToolEnvironment} that holds the tools, the answer tag, the corrective
 * message and the turn limits, and judges each turn. {@link io.github.dartrl.grpo.tool.SearchTool}
 * (search over any retriever) is one tool. See {@code docs/tools.md}.
 */
package io.github.dartrl.grpo.tool;
