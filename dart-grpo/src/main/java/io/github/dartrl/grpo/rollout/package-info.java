/**
 * Multi-turn Search-R1 rollouts: the prompt template, parsing the model's action (search or
 * answer), the environment that calls the retriever and formats observations, the recorder that
 * builds each trajectory's tokens, roles and generation log-probs, and the engines that run a batch
 * of rollouts for a single routed policy or for two hand-off agents.
 */
package io.github.dartrl.grpo.rollout;
