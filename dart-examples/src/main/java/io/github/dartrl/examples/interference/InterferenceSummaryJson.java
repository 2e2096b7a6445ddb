package io.github.dartrl.examples.interference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.examples.interference.InterferenceResult.AttributionOutcome;
import io.github.dartrl.examples.interference.InterferenceResult.ProbeOutcome;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.leas.probe.PairKind;
import io.github.dartrl.leas.report.AttributionReport;
import io.github.dartrl.leas.variant.CeaModel;

/**
 * The interference job's {@code summary.json}: its configuration, each variant's greedy EM, GRPO
 * and sampling diagnostics, the attribution's λ23 reading against its null, and each probe's angles
 * — every number of {@code summary.md}, for scripts.
 */
final class InterferenceSummaryJson {
  private InterferenceSummaryJson() {}

  /** The summary of {@code r}, built with {@code json}'s node factory. */
  static ObjectNode of(InterferenceResult r, ObjectMapper json) {
    ObjectNode n = json.createObjectNode();
    n.put("kind", "dart4j-interference");
    InterferenceConfig c = r.config();
    ObjectNode cfg = n.putObject("config");
    cfg.put("world", c.warmStart().world().aliasIndex() ? "conflict" : "default");
    cfg.put("questions_requested", r.questionsRequested());
    cfg.put("samples", c.samples());
    cfg.put("grpo_steps_configured", c.grpo().totalSteps());
    cfg.put("prompts_per_step", c.grpo().promptsPerStep());
    cfg.put("group_size", c.grpo().groupSize());
    cfg.put("learning_rate", c.grpo().learningRate());
    cfg.put("lora_rank", c.variantPolicy().rank());
    c.variantPolicy().targetModules().forEach(cfg.putArray("lora_targets")::add);
    cfg.put("seed", c.grpo().seed());
    cfg.put("hybrid_mode", c.hybridMode().name());
    cfg.put("probe_queries", r.probeQuestions());
    cfg.put("probe_group_size", c.probeGroupSize());
    cfg.put("budget_minutes", c.budgetMinutes());
    n.put("sft_last_logged_loss", InterferenceReport.lastSftLoss(r));
    if (r.reusedWarmStart() != null) {
      n.put("warm_start_reused_from", r.reusedWarmStart().toString());
    }
    ObjectNode vs = n.putObject("variants");
    for (CeaModel m : CeaModel.values()) {
      ObjectNode e = vs.putObject(m.label());
      VariantRun v = InterferenceReport.variant(r, m);
      EvalResult greedy = m == CeaModel.BASE ? r.base() : v == null ? null : v.greedy();
      if (greedy != null) {
        e.put("greedy_em", greedy.exactMatch());
        e.set("greedy_em_by_source", json.valueToTree(greedy.exactMatchBySource()));
      }
      if (v != null) {
        e.put("grpo_steps", v.steps());
        e.put("train_roles", v.trainRoles().toString());
        e.put("reward_last5", v.lastMean("reward/mean", 5));
        e.put("frac_reward_zero_std_mean", v.mean("frac_reward_zero_std"));
        e.put("kl_last", v.lastMean("actor/kl", 1));
      }
      if (r.attribution().run() != null && r.attribution().run().diagnostics().get(m) != null) {
        e.set("sampled", json.valueToTree(r.attribution().run().diagnostics().get(m)));
      }
    }
    ObjectNode at = n.putObject("attribution");
    AttributionOutcome a = r.attribution();
    if (a.run() != null) {
      at.put("questions_sampled", a.run().counts().size());
      at.put("streams", a.run().streams().name());
    }
    if (a.ok()) {
      at.put("questions_kept", a.result().keptQuestions());
      at.set("lambda23", json.valueToTree(a.result().lambda23().negativeFraction()));
      at.put("lambda23_median", a.result().lambda23().summary().median());
      at.put("lambda23_mean", a.result().lambda23().summary().mean());
      at.set("lambda23_null", AttributionReport.nullJson(a.result().lambda23Null()));
      at.set("lambda23_sign", json.valueToTree(a.result().lambda23SignTest()));
    } else {
      at.put("error", a.error());
    }
    ObjectNode pr = n.putObject("probes");
    for (ProbeOutcome p : r.probes()) {
      ObjectNode e = pr.putObject(p.target().label());
      if (p.ok()) {
        e.put("mixed_groups", p.result().counts().mixedGroups());
        e.put("inter_role_median", p.result().summaries().get(PairKind.INTER_ROLE).median());
        e.put("same_role_median", p.result().sameRole().median());
        e.set("wilcoxon", json.valueToTree(p.result().tests().get("inter_role_vs_same_role")));
        BatchAnglesSection.json(json, p, e);
      } else {
        e.put("error", p.error());
      }
    }
    n.set("timings_s", json.valueToTree(r.timings()));
    return n;
  }
}
