/*
 * mock-cluster: librdkafka's mock Kafka cluster as a process of its own.
 *
 * Starts N brokers that speak the real Kafka wire protocol on loopback, creates the
 * topics named on the command line, prints "bootstrap <servers>" and then takes one
 * command per line on stdin (each answered "ok" or "error <why>" on stdout):
 *
 *   topic NAME PARTITIONS [REPLICATION]   create a topic (the mock has no CreateTopics API)
 *   down BROKER | up BROKER               disconnect a broker / accept connections again (-1 = all)
 *   rtt BROKER MS                         add round-trip latency to a broker (-1 = all)
 *   error API_KEY ERROR_CODE [COUNT]      fail the next COUNT requests of that API, cluster-wide
 *   clear API_KEY                         drop the queued errors for that API
 *   leader TOPIC PARTITION BROKER         move a partition's leadership (-1 = leaderless)
 *   topicerror TOPIC ERROR_CODE           answer Metadata for TOPIC with that topic-level error
 *                                         (0 clears it), as a topic being deleted or denied by ACLs
 *   coordinator group|transaction KEY BROKER   move a group's (or transaction's) coordinator
 *   apiversion API_KEY MIN MAX            narrow what a broker advertises (-1 -1 disables the API)
 *   commit GROUP TOPIC PARTITION OFFSET [TOPIC PARTITION OFFSET ...]
 *                                         commit offsets for a group, as a standalone (unsubscribed)
 *                                         consumer does, through a real OffsetCommit request
 *   quit                                  stop
 *
 * End of input also stops it, so a crashed parent never leaves a cluster behind. A terminal's
 * Ctrl-C is ignored: the parent decides when the cluster stops (and closes our stdin).
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static rd_kafka_mock_cluster_t *cluster;

static void reply(rd_kafka_resp_err_t err) {
  if (err)
    printf("error %s\n", rd_kafka_err2str(err));
  else
    printf("ok\n");
  fflush(stdout);
}

static void usage_error(const char *command) {
  printf("error usage: %s\n", command);
  fflush(stdout);
}

/* Commits "TOPIC PARTITION OFFSET" triples for a group through a real consumer client, so the
 * offsets arrive the way any Kafka client's would. Fast enough to seed hundreds of groups. */
static void commit_offsets(char *args) {
  char errstr[512];
  char *group = strtok(args, " \t\n");
  rd_kafka_topic_partition_list_t *offsets = rd_kafka_topic_partition_list_new(16);
  char *topic;
  while (group && (topic = strtok(NULL, " \t\n"))) {
    char *partition = strtok(NULL, " \t\n"), *offset = strtok(NULL, " \t\n");
    if (!partition || !offset) {
      rd_kafka_topic_partition_list_destroy(offsets);
      usage_error("commit GROUP TOPIC PARTITION OFFSET [...]");
      return;
    }
    rd_kafka_topic_partition_list_add(offsets, topic, atoi(partition))->offset = atoll(offset);
  }
  if (!group || offsets->cnt == 0) {
    rd_kafka_topic_partition_list_destroy(offsets);
    usage_error("commit GROUP TOPIC PARTITION OFFSET [...]");
    return;
  }
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", rd_kafka_mock_cluster_bootstraps(cluster), errstr, sizeof(errstr));
  rd_kafka_conf_set(conf, "group.id", group, errstr, sizeof(errstr));
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr));
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t *consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
  if (!consumer) {
    rd_kafka_topic_partition_list_destroy(offsets);
    printf("error %s\n", errstr);
    fflush(stdout);
    return;
  }
  reply(rd_kafka_commit(consumer, offsets, 0));
  rd_kafka_topic_partition_list_destroy(offsets);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
}


/* Runs one command line; returns 0 when the cluster should stop. */
static int run_command(char *line) {
  char name[512], key[512];
  int a, b, c;

  if (strncmp(line, "quit", 4) == 0) return 0;
  if (strncmp(line, "commit ", 7) == 0) {
    commit_offsets(line + 7);
    return 1;
  }

  if (sscanf(line, "topic %511s %d %d", name, &a, &b) >= 2) {
    if (sscanf(line, "topic %*s %*d %d", &b) != 1) b = 1;
    reply(rd_kafka_mock_topic_create(cluster, name, a, b));
  } else if (sscanf(line, "down %d", &a) == 1) {
    reply(rd_kafka_mock_broker_set_down(cluster, a));
  } else if (sscanf(line, "up %d", &a) == 1) {
    reply(rd_kafka_mock_broker_set_up(cluster, a));
  } else if (sscanf(line, "rtt %d %d", &a, &b) == 2) {
    reply(rd_kafka_mock_broker_set_rtt(cluster, a, b));
  } else if (sscanf(line, "error %d %d %d", &a, &b, &c) >= 2) {
    int count = sscanf(line, "error %*d %*d %d", &c) == 1 ? c : 1;
    for (int i = 0; i < count; i++)
      rd_kafka_mock_push_request_errors(cluster, (int16_t)a, 1, (rd_kafka_resp_err_t)b);
    reply(RD_KAFKA_RESP_ERR_NO_ERROR);
  } else if (sscanf(line, "clear %d", &a) == 1) {
    rd_kafka_mock_clear_request_errors(cluster, (int16_t)a);
    reply(RD_KAFKA_RESP_ERR_NO_ERROR);
  } else if (sscanf(line, "topicerror %511s %d", name, &a) == 2) {
    rd_kafka_mock_topic_set_error(cluster, name, (rd_kafka_resp_err_t)a);
    reply(RD_KAFKA_RESP_ERR_NO_ERROR);
  } else if (sscanf(line, "leader %511s %d %d", name, &a, &b) == 3) {
    reply(rd_kafka_mock_partition_set_leader(cluster, name, a, b));
  } else if (sscanf(line, "coordinator %511s %511s %d", key, name, &a) == 3) {
    reply(rd_kafka_mock_coordinator_set(cluster, key, name, a));
  } else if (sscanf(line, "apiversion %d %d %d", &a, &b, &c) == 3) {
    reply(rd_kafka_mock_set_apiversion(cluster, (int16_t)a, (int16_t)b, (int16_t)c));
  } else {
    usage_error(line);
  }
  return 1;
}

int main(int argc, char **argv) {
  signal(SIGINT, SIG_IGN);
  int brokers = argc > 1 ? atoi(argv[1]) : 1;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle only hosts the cluster; keep it quiet. */
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "mock-cluster: %s\n", errstr);
    return 1;
  }
  if (brokers < 1) {
    fprintf(stderr, "mock-cluster: usage: mock-cluster BROKERS [TOPIC:PARTITIONS ...]\n");
    return 2;
  }
  cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!cluster) {
    fprintf(stderr, "mock-cluster: could not start the mock cluster\n");
    return 1;
  }
  for (int i = 2; i < argc; i++) {
    char topic[512];
    int partitions;
    if (sscanf(argv[i], "%511[^:]:%d", topic, &partitions) != 2 ||
        rd_kafka_mock_topic_create(cluster, topic, partitions, 1)) {
      fprintf(stderr, "mock-cluster: bad topic '%s' (want NAME:PARTITIONS)\n", argv[i]);
      return 2;
    }
  }
  printf("bootstrap %s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[2048];
  while (fgets(line, sizeof(line), stdin) && run_command(line)) {
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
