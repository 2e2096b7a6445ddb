/**
 * The main job on the bundled world: generate the world, index its corpus, create a tiny model,
 * warm-start it by SFT on scripted demonstrations, evaluate, train DART with GRPO, evaluate again,
 * and write a results folder ({@link io.github.dartrl.examples.quickstart.Quickstart}).
 */
package io.github.dartrl.examples.quickstart;
