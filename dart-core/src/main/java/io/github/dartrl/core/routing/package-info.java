/**
 * Token roles and the rule-based router of DART: which tokens are reasoning, which are tool use,
 * and which adapter runs at each position.
 */
package io.github.dartrl.core.routing;
