/* ph-sim-server.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A simulated Kubernetes API server on loopback.  It runs on a thread of
 * its own with its own GMainContext, so a client in the same process (the
 * demo, a test) never stalls it and is never stalled by it.  Every
 * function below is safe to call from any thread.
 *
 * The cluster has pods, deployments, replicasets, services, configmaps,
 * nodes, events and namespaces; statefulsets, daemonsets, jobs, cronjobs,
 * ingresses, endpointslices, secrets, persistentvolumeclaims,
 * persistentvolumes and storageclasses (none of which own pods); and the
 * custom resource widgets.demo.porthole.io with its CRD.
 *
 * It serves discovery, LIST (limit/continue, resourceVersion and
 * resourceVersionMatch, label and field selectors, the Table format), GET,
 * WATCH over chunked HTTP and WebSocket (replay from the history, 410
 * ERROR events, bookmarks, sendInitialEvents), DELETE of pods (their
 * ReplicaSet replaces them) and deployments/NAME/scale.
 *
 * Faults from outside the process: POST /porthole-sim/v1/control with one
 * of {"action":"drop-watches"} ({"abrupt":true} cuts the connections
 * instead), "compact", "bookmark", {"action":"fail-next","n":N,
 * "status":500|429|…}, {"action":"latency","ms":MS}, {"action":"churn",
 * "rate":PER_S}, {"action":"churn-steps","n":N}.  GET on the same path
 * returns the state (resourceVersion, compacted version, watches, pods). */

#define PH_TYPE_SIM_SERVER (ph_sim_server_get_type ())
G_DECLARE_FINAL_TYPE (PhSimServer, ph_sim_server, PH, SIM_SERVER, GObject)

typedef struct {
  guint16   port;                 /* 0: pick a free one */
  gboolean  tls;                  /* certificates from a built-in test CA */
  gboolean  require_client_cert;  /* implies tls */
  const char *token;              /* NULL: no bearer auth */
  guint     pods;                 /* spread over the namespaces */
  guint     namespaces;
  double    churn;                /* events per second, 0 = still */
  guint64   seed;
  guint     history_size;         /* watch events kept for replay; 0: default */
  guint     continue_ttl_seconds; /* continue tokens expire after; 0: default */
} PhSimOptions;

void         ph_sim_options_init           (PhSimOptions  *options);

PhSimServer *ph_sim_server_new             (const PhSimOptions *options);
gboolean     ph_sim_server_start           (PhSimServer   *self,
                                            GError       **error);
void         ph_sim_server_stop            (PhSimServer   *self);
guint16      ph_sim_server_get_port        (PhSimServer   *self);
/* "http://127.0.0.1:PORT" or "https://…" */
char        *ph_sim_server_get_url         (PhSimServer   *self);
/* PEM of the CA that signed the server certificate (TLS only). */
char        *ph_sim_server_get_ca_pem      (PhSimServer   *self);
/* A client certificate + key (PEM) the server accepts (TLS only). */
gboolean     ph_sim_server_get_client_cert (PhSimServer   *self,
                                            char         **cert_pem,
                                            char         **key_pem);
/* Writes (or merges into) a kubeconfig with one context for this server. */
gboolean     ph_sim_server_write_kubeconfig (PhSimServer  *self,
                                             const char   *path,
                                             const char   *context_name,
                                             GError      **error);

/* Churn and faults. */
void         ph_sim_server_set_churn       (PhSimServer   *self,
                                            double         events_per_second);
/* Applies @n churn steps now (deterministic from the seed). */
void         ph_sim_server_churn_steps     (PhSimServer   *self,
                                            guint          n);
/* Ends every watch stream cleanly (the chunked body ends, WebSockets
 * close normally), as the apiserver does at timeoutSeconds or shutdown. */
/* kubectl label pod: one extra label on a pod, changed in place. */
gboolean     ph_sim_server_label_pod       (PhSimServer   *self,
                                            const char    *namespace_,
                                            const char    *name,
                                            const char    *key,
                                            const char    *value);
void         ph_sim_server_drop_watches    (PhSimServer   *self);
/* Closes the connection of every watch mid-stream, as a network failure
 * would: no clean end, the client sees an error. */
void         ph_sim_server_cut_watches     (PhSimServer   *self);
/* Sends a BOOKMARK at the current resourceVersion to every watch that
 * asked for bookmarks (they also get one every 10 s). */
void         ph_sim_server_bookmark_watches (PhSimServer  *self);
/* Forgets the watch history: watches from older versions get 410. */
void         ph_sim_server_compact         (PhSimServer   *self);
void         ph_sim_server_fail_next       (PhSimServer   *self,
                                            guint          n,
                                            guint          http_status);
void         ph_sim_server_set_latency     (PhSimServer   *self,
                                            guint          milliseconds);
/* The current resourceVersion of the store. */
guint64      ph_sim_server_get_resource_version (PhSimServer *self);
/* Counters of the watches, to observe how they progress. */
typedef struct {
  guint    watches;               /* open */
  guint    streaming;             /* of those, still sending their initial state */
  guint64  initial_events_sent;   /* ADDED events of initial states serialized
                                   * so far, by all watches together */
} PhSimWatchStats;

void         ph_sim_server_get_watch_stats (PhSimServer   *self,
                                            PhSimWatchStats *stats);
/* The server's truth for a collection, as "namespace/name uid rv" lines
 * ("name uid rv" for cluster-scoped resources), sorted, for comparing a
 * client cache against.  @resource is the plural ("pods"); @namespace_
 * NULL means all namespaces. */
GPtrArray   *ph_sim_server_snapshot        (PhSimServer   *self,
                                            const char    *resource,
                                            const char    *namespace_);

/* Starts the three demo clusters (small, medium, large) and writes their
 * kubeconfig to @kubeconfig_path.  Returns the servers (PhSimServer). */
GPtrArray   *ph_sim_start_demo_clusters    (const char    *kubeconfig_path,
                                            GError       **error);

G_END_DECLS
