/**
 * The SQL tool: model-written SQL run against an embedded H2 database, read only.
 *
 * <p>{@link io.github.dartrl.grpo.tool.sql.SqlExecutor} turns a batch of {@code <sql>} call texts
 * into one observation text each; {@link io.github.dartrl.grpo.tool.sql.SqlGuard} refuses anything
 * but one {@code SELECT} before it reaches the engine; {@link
 * io.github.dartrl.grpo.tool.sql.SqlLimits} bounds time, rows and text; {@link
 * io.github.dartrl.grpo.tool.sql.ResultTable} formats a result compactly. See {@code docs/tools.md}
 * ("SQL over an embedded database"). H2 is an optional dependency of dart-grpo: an application
 * using this package declares {@code com.h2database:h2}.
 */
package io.github.dartrl.grpo.tool.sql;
