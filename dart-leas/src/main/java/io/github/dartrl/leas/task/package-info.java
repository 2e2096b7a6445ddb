/**
 * What the LEAS tools share about the Search-R1 task they sample: the retriever, prompt template,
 * rollout limits and reward ({@link io.github.dartrl.leas.task.SearchTask}), and the builder part
 * that sets them ({@link io.github.dartrl.leas.task.SearchTaskBuilder}).
 */
package io.github.dartrl.leas.task;
