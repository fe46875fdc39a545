package dev.leadqual.io;

import dev.leadqual.schema.CrmAccount;
import dev.leadqual.schema.PolicyUpdate;

/**
 * One message of the control plane, broadcast to every instance of the qualification operator:
 * a policy update or kill switch, a CRM account upsert, or a CRM account deletion (tombstone).
 * A Flink POJO whose Avro fields use Flink's Avro serializer: no Kryo.
 */
public class ControlEvent {
    public PolicyUpdate policy;
    public CrmAccount account;
    public String deletedAccountId;

    public ControlEvent() {}

    public static ControlEvent of(PolicyUpdate update) {
        ControlEvent e = new ControlEvent();
        e.policy = update;
        return e;
    }

    public static ControlEvent of(CrmAccount account) {
        ControlEvent e = new ControlEvent();
        e.account = account;
        return e;
    }

    public static ControlEvent accountDeleted(String accountId) {
        ControlEvent e = new ControlEvent();
        e.deletedAccountId = accountId;
        return e;
    }

    @Override
    public String toString() {
        return policy != null ? "ControlEvent[policy " + policy.getKind() + " " + policy.getVersion() + "]"
                : account != null ? "ControlEvent[account " + account.getAccountId() + "]"
                : "ControlEvent[account deleted " + deletedAccountId + "]";
    }
}
