package dev.leadqual.udfs.qualify;

import dev.leadqual.schema.ChatEvent;
import dev.leadqual.schema.ChatEventType;
import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.SenderRole;
import dev.leadqual.schema.state.SessionMemory;
import dev.leadqual.schema.state.TranscriptTurn;
import dev.leadqual.udfs.redact.Redactor;
import dev.leadqual.udfs.understand.Understanding;
import java.util.ArrayList;
import java.util.List;

/** Drives a session message by message the way the operator does: remember, score, decide, record. */
final class Conversation {
  final Policy p;
  final SessionMemory m;
  CrmAccount account;
  Controls controls = Controls.NONE;
  final List<TranscriptTurn> tail = new ArrayList<>();
  /** Emitted actions, e.g. {@code ASK_SLOT:budget}, {@code HANDOFF_TO_SALES}. */
  final List<String> emitted = new ArrayList<>();
  final List<Decision> emittedDecisions = new ArrayList<>();
  Score score;
  private int second;

  Conversation(Policy p) {
    this.p = p;
    this.m = SessionMemories.fresh(Fixtures.visitor("open", 0, ""));
  }

  Decision visitor(String text, Understanding u) {
    ChatEvent e = Fixtures.visitor("v" + (++second), second, text);
    tail.add(new TranscriptTurn(e.getEventId(), SenderRole.VISITOR, Redactor.redact(text), e.getSentAt().toEpochMilli(), null));
    SessionMemories.remember(m, e, u, p);
    score = LeadScorer.score(m, account, p);
    Decision d = NextActionPolicy.decide(m, u, score, account, controls, p);
    if (SessionMemories.record(m, d, score, e.getSentAt().toEpochMilli())) {
      emitted.add(d.action() + (d.slot() == null ? "" : ":" + d.slot()));
      emittedDecisions.add(d);
      if (d.message() != null && !d.toAgent()) {
        ChatEvent bot = Fixtures.event("b" + (++second), second, SenderRole.BOT, ChatEventType.MESSAGE, d.message());
        SessionMemories.remember(m, bot, null, p);
        tail.add(new TranscriptTurn(bot.getEventId(), SenderRole.BOT, d.message(), bot.getSentAt().toEpochMilli(), null));
      }
    }
    return d;
  }

  void agentJoins() {
    SessionMemories.remember(m, Fixtures.event("j" + (++second), second, SenderRole.SYSTEM, ChatEventType.AGENT_JOINED, null), null, p);
  }

  String summary() {
    return HandoffSummary.summarise(m, score, tail);
  }
}
