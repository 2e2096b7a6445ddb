/**
 * The GRPO objective: group-relative advantages, the clipped policy-gradient loss with its
 * token-level aggregation over the training mask, and the KL estimators against a reference policy.
 */
package io.github.dartrl.grpo.loss;
