#!/usr/bin/python3
"""The subscribers' Kafka topics, read with clients this project did not write.

Runs the real `permitledger serve --kafka` against a real broker, drives
permits over HTTP (some applicants consent to the bank, one withdraws, the
ledger is SIGKILLed and restarted in the middle), then reads the bank's and
the ministry's topics with kcat and with Python's confluent-kafka
(read_committed) and checks:
  - exactly the consented permits reach the bank, each message once, in
    sequence 1..N, and nothing of the permit after a withdrawal (a bare
    revocation notice: the bank may have lent against the permit);
  - no message has a field the charter's data-sharing policy does not allow;
  - kcat, confluent-kafka and the SSE feed deliver the same messages in the
    same order;
  - `permitledger audit verify --kafka` passes on the event topic.

Usage: kafka_feeds_test.py PERMITLEDGER_BINARY [BOOTSTRAP]
(default: $KAFKA_BOOTSTRAP; start a broker with `scripts/kafka.sh start`)
"""
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

from confluent_kafka import Consumer, KafkaError, TopicPartition

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = sys.argv[1]
BOOTSTRAP = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("KAFKA_BOOTSTRAP", "")
if not BOOTSTRAP:
    sys.exit("KAFKA_BOOTSTRAP is not set: run `scripts/kafka.sh start` and export "
             "KAFKA_BOOTSTRAP=127.0.0.1:19092")
PREFIX = "feedtest" + uuid.uuid4().hex[:8]
KEL = "31.74.10.1003"
CHARTER = json.load(open(os.path.join(ROOT, "charters", "pesanggrahan.json")))
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ledger:
    def __init__(self, data):
        self.data, self.port = data, free_port()
        self.log = open(os.path.join(data, "serve.log"), "ab")
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--data", data, "--listen", f"127.0.0.1:{self.port}",
             "--kafka", BOOTSTRAP, "--kafka-topic-prefix", PREFIX, "--kafka-partitions", "1"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                self.call("GET", "/healthz")
                return
            except (urllib.error.URLError, ConnectionError):
                if self.proc.poll() is not None:
                    raise SystemExit("permitledger exited; see " + self.log.name)
                time.sleep(0.3)
        raise SystemExit("permitledger did not answer in 90 s")

    def call(self, method, path, body=None, token=None, headers=None, raw=False):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode())
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if body is not None:
            req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read().decode()
            return text if raw else json.loads(text)

    def survey_date(self):
        """A working day a week ahead in Jakarta under the ledger's charter:
        a survey date schedule_survey accepts today."""
        charter = self.call("GET", "/v1/charter")
        day = (datetime.datetime.now(datetime.timezone.utc) +
               datetime.timedelta(minutes=charter["utc_offset_minutes"], days=7)).date()
        while day.weekday() >= 5 or day.isoformat() in charter["holidays"]:
            day += datetime.timedelta(days=1)
        return day.isoformat()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


def main():
    data = tempfile.mkdtemp(prefix="feeds-kafka-")
    ledger = Ledger(data)
    admin = open(os.path.join(data, "admin.token")).read().strip()
    tokens = {}
    for oid, role in [("ptsp", "ptsp_officer"), ("head", "ptsp_head"),
                      ("ekbang", "kelurahan_economy"), ("lurah", "lurah")]:
        tokens[oid] = ledger.call("POST", "/v1/officers", {
            "id": oid, "name": "Officer " + oid, "role": role, "kelurahan": KEL,
            "command_id": "enrol-" + oid}, admin)["token"]
    counter = [0]

    def act(permit, token, body):
        counter[0] += 1
        body = dict(body, command_id=f"c{counter[0]}")
        return ledger.call("POST", f"/v1/permits/{permit}/actions", body, token)

    permits = []  # (permit id, tracking code)
    for i in range(6):
        r = ledger.call("POST", "/v1/applications", {
            "command_id": f"app-{i}", "kelurahan": KEL,
            "applicant": {"nik": f"31740101018800{10 + i}", "name": f"Pemilik {i}",
                          "address": f"Jl. Rahasia {i}", "phone": f"08120000000{i}",
                          "kk_number": f"31740177000000{10 + i}"},
            "business": {"name": f"Usaha {i}", "kbli": "56103", "description": "warung",
                         "capital": 25000000, "turnover": 180000000, "workers": 2,
                         "premises": "owned"},
            "documents": ["form", "undertaking", "ktp", "kk", "premises_photo",
                          "premises_proof"]})
        permits.append((r["permit_id"], r["tracking_code"]))
    survey_date = ledger.survey_date()
    for pid, _ in permits:
        act(pid, tokens["ptsp"], {"action": "verify_documents"})
        act(pid, tokens["ptsp"], {"action": "schedule_survey", "date": survey_date,
                                  "team": ["ptsp", "ekbang"]})
        act(pid, tokens["ekbang"], {"action": "record_survey", "zoning_compliant": True})
        act(pid, tokens["lurah"], {"action": "recommend", "letter_number": "1/REK/" + pid})
        act(pid, tokens["head"], {"action": "issue_permit"})
    (p0, c0), (p1, _), (p2, c2), (p3, _), (p4, c4), (p5, _) = permits
    act(p0, c0, {"action": "grant_consent", "subscriber": "bank-dki"})
    act(p2, c2, {"action": "grant_consent", "subscriber": "bank-dki"})
    # The ledger dies without warning, perhaps in the middle of publishing.
    ledger.kill()
    ledger = Ledger(data)
    act(p4, c4, {"action": "grant_consent", "subscriber": "bank-dki"})
    act(p4, c4, {"action": "withdraw_consent", "subscriber": "bank-dki"})
    act(p4, tokens["head"], {"action": "revoke", "reason": "after the withdrawal"})
    act(p0, tokens["head"], {"action": "revoke", "reason": "usaha tutup"})
    act(p1, tokens["head"], {"action": "revoke", "reason": "no consent, never shared"})
    expected_bank = [(p0, "consent_granted"), (p2, "consent_granted"),
                     (p4, "consent_granted"), (p4, "consent_withdrawn"), (p4, "permit_revoked"),
                     (p0, "permit_revoked")]

    bank_topic, ministry_topic = PREFIX + ".feed.bank-dki", PREFIX + ".feed.ministry-umkm"
    bank = read_confluent(bank_topic, len(expected_bank))
    ministry = read_confluent(ministry_topic, 6 + 6 + 3)  # submitted, issued, revoked
    check([(m["permit_id"], m["event_type"]) for m in bank] == expected_bank,
          f"the bank received {[(m['permit_id'], m['event_type']) for m in bank]}, "
          f"expected {expected_bank}")
    check([m["seq"] for m in bank] == list(range(1, len(bank) + 1)),
          "bank sequence numbers run 1..N, each once")
    check(len(bank) > 4 and "permit" not in bank[4] and "applicant" not in bank[4],
          "the revocation after a withdrawal carries nothing of the permit")
    check({m["permit_id"] for m in bank} == {p0, p2, p4}, "exactly the consented permits arrive")
    for m in bank + ministry:
        check_fields(m)
    check(len(ministry) == 15, f"the ministry received {len(ministry)} messages, expected 15")
    check(all("applicant" not in m for m in ministry), "the ministry receives no personal data")
    check(sorted(m["permit_id"] for m in ministry if m["event_type"] == "application_submitted")
          == sorted(p for p, _ in permits), "the ministry receives every application once")
    check([m["seq"] for m in ministry] == list(range(1, len(ministry) + 1)),
          "ministry sequence numbers run 1..N, each once")
    for m in bank:
        # p4's consent was withdrawn at once: its message shows the name only
        # if the publisher sent it before the withdrawal.
        if m["event_type"] == "consent_granted" and m["applicant"] != {"consent_withdrawn": True}:
            check(m["applicant"]["name"].startswith("Pemilik"), "the bank sees the owner's name")
            check("address" not in m["applicant"], "the bank never sees the home address")
    check(all(m["applicant"].get("name") for m in bank
              if m["event_type"] == "consent_granted" and m["permit_id"] != p4),
          "the bank sees the names it has consent for")

    # kcat, another client, sees the same committed messages in the same order.
    out = subprocess.run(["kcat", "-b", BOOTSTRAP, "-C", "-t", bank_topic, "-e", "-q",
                          "-X", "isolation.level=read_committed", "-f", "%s\n"],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    check([json.loads(line) for line in out.splitlines() if line] == bank,
          "kcat reads exactly what confluent-kafka reads")

    # The SSE feed delivers the same messages in the same order.
    token = ledger.call("GET", "/v1/feeds/bank-dki/token", token=admin)["token"]
    sse = ledger.call("GET", "/v1/feeds/bank-dki", token=token, raw=True)
    sse_messages = [json.loads(line[6:]) for line in sse.splitlines() if line.startswith("data: ")]
    # Read now, after the withdrawal, p4's consent_granted message no longer
    # opens the applicant's fields; everything else is what Kafka holds.
    def withdrawn(m):
        return m["permit_id"] == p4 and m["event_type"] == "consent_granted"
    check([m for m in sse_messages if not withdrawn(m)] == [m for m in bank if not withdrawn(m)],
          "the SSE feed equals the Kafka topic")
    check([m["applicant"] for m in sse_messages if withdrawn(m)] == [{"consent_withdrawn": True}],
          "a message read after the withdrawal of its consent withholds the applicant")

    ledger.stop()
    # The auditor's check of the whole history, read from the event topic.
    audit = subprocess.run([BINARY, "audit", "verify", "--data", data, "--kafka", BOOTSTRAP,
                            "--kafka-topic-prefix", PREFIX, "--kafka-partitions", "1"],
                           capture_output=True, text=True, timeout=120)
    check(audit.returncode == 0 and "OK: the log matches every checkpoint" in audit.stdout,
          "audit verify --kafka passes: " + audit.stdout[-400:] + audit.stderr[-400:])
    log = open(os.path.join(data, "serve.log"), errors="replace").read()
    for i in range(6):
        check(f"31740101018800{10 + i}" not in log and f"Jl. Rahasia {i}" not in log,
              "the ledger's log holds no personal data")
    if failures:
        print(f"{len(failures)} check(s) failed; the ledger's log: {data}/serve.log")
        return 1
    print(f"feeds on Kafka: bank {len(bank)} messages, ministry {len(ministry)} messages, "
          "kcat = confluent-kafka = SSE; all checks passed")
    shutil.rmtree(data, ignore_errors=True)  # kept above, when a check failed
    return 0


def read_confluent(topic, expected, timeout=90):
    """Every committed message of the topic, waiting until `expected` arrived
    (then a little longer, so that a duplicate would show)."""
    c = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": "feedtest-" + uuid.uuid4().hex,
                  "isolation.level": "read_committed", "auto.offset.reset": "earliest",
                  "enable.auto.commit": False, "enable.partition.eof": True})
    c.assign([TopicPartition(topic, 0, 0)])
    messages, deadline, settled = [], time.time() + timeout, None
    while time.time() < deadline:
        m = c.poll(0.5)
        if m is None or (m.error() and m.error().code() == KafkaError._PARTITION_EOF):
            if len(messages) >= expected:
                settled = settled or time.time()
                if time.time() - settled > 3:
                    break
            continue
        if m.error():
            if m.error().code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                continue
            raise SystemExit(f"{topic}: {m.error()}")
        messages.append(json.loads(m.value()))
        check(m.key().decode() == messages[-1]["permit_id"], "a message's key is its permit id")
    c.close()
    return messages


def check_fields(m):
    policy = CHARTER["data_sharing"][m["subscriber"]]
    allowed = set(policy["fields"])
    envelope = {"schema_version", "subscriber", "seq", "event_id", "event_type", "occurred_at",
                "permit_id", "log_position", "permit", "applicant"}
    check(set(m) <= envelope, f"unexpected keys {set(m) - envelope}")
    check(m["schema_version"] == 1, "schema_version is 1")
    check(m["event_type"] in policy["events"], f"{m['subscriber']} may not get {m['event_type']}")
    for k in m.get("permit", {}):
        check(k in allowed, f"{m['subscriber']} may not receive {k}")
    for k in m.get("applicant", {}):
        check(k in ("erased", "consent_withdrawn") or "applicant." + k in allowed,
              f"{m['subscriber']} may not receive applicant.{k}")


if __name__ == "__main__":
    sys.exit(main())
