/* ph-sim-server-private.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "ph-sim-server.h"
#include "ph-sim-selector.h"
#include "ph-sim-store.h"
#include "ph-sim-world.h"

G_BEGIN_DECLS

#define PH_SIM_DEFAULT_CONTINUE_TTL   300
#define PH_SIM_DEFAULT_WATCH_TIMEOUT  1800
#define PH_SIM_BOOKMARK_INTERVAL      10
#define PH_SIM_MAX_SNAPSHOTS          256

/* Everything below the mutex-protected fields is owned by the server's
 * thread: only code running in @context touches it. */
struct _PhSimServer {
  GObject       parent_instance;

  PhSimOptions  options;
  char         *token;

  GMutex        lock;
  GCond         cond;
  GThread      *thread;
  gboolean      thread_ready;
  GError       *start_error;
  guint16       port;             /* set once started */

  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  PhSimStore   *store;
  PhSimWorld   *world;
  GPtrArray    *watchers;         /* PhSimWatcher */
  guint64       initial_events_sent;  /* ADDED events of initial states */
  GHashTable   *snapshots;        /* id → PhSimSnapshot */
  GQueue        snapshot_order;   /* ids, oldest first */
  guint         next_snapshot_id;

  GTlsCertificate *server_cert;
  GTlsCertificate *ca_cert;

  guint         fail_remaining;
  guint         fail_status;
  guint         latency_ms;

  double        churn_rate;
  double        churn_debt;
  gint64        churn_last;
  guint         churn_source;
  guint         bookmark_source;
};

typedef struct {
  PhSimResId  res;
  char       *namespace_;
  guint64     rv;
  gint64      created;           /* monotonic µs */
  GPtrArray  *items;             /* PhSimObj, key order */
} PhSimSnapshot;

/* ph-sim-http.c */
void     ph_sim_http_handle       (SoupServer        *soup,
                                   SoupServerMessage *msg,
                                   const char        *path,
                                   GHashTable        *query,
                                   gpointer           user_data);
void     ph_sim_send_status       (SoupServerMessage *msg,
                                   guint              code,
                                   const char        *reason,
                                   const char        *message);
char    *ph_sim_status_json       (guint              code,
                                   const char        *reason,
                                   const char        *message,
                                   const char        *continue_token);
void     ph_sim_snapshots_clear   (PhSimServer       *self);
/* The Table version ("v1", "v1beta1") an Accept header asks for, or NULL. */
const char *ph_sim_accepts_table  (const char        *accept);
/* Appends {"cells":[…],"object":{PartialObjectMetadata}} for @obj. */
void     ph_sim_append_table_row  (GString           *s,
                                   PhSimObj          *obj,
                                   gint64             now);

/* ph-sim-watch.c */
typedef struct _PhSimWatcher PhSimWatcher;

void     ph_sim_watch_start       (PhSimServer             *self,
                                   SoupServerMessage       *msg,
                                   SoupWebsocketConnection *ws,
                                   PhSimResId               res,
                                   const char              *namespace_,
                                   GHashTable              *query,
                                   const char              *accept,
                                   PhSimSelector           *labels,
                                   PhSimSelector           *fields);
/* Validates the parameters of a watch request; on failure sets an error
 * response on @msg and returns FALSE. */
gboolean ph_sim_watch_check       (PhSimServer             *self,
                                   SoupServerMessage       *msg,
                                   GHashTable              *query);
void     ph_sim_watch_dispatch    (const PhSimEvent        *event,
                                   gpointer                 user_data);
void     ph_sim_watch_drop_all    (PhSimServer             *self);
/* Closes the connections of all watches without ending their streams, as
 * a network failure would. */
void     ph_sim_watch_cut_all     (PhSimServer             *self);
void     ph_sim_watch_bookmark_all (PhSimServer            *self);
/* Watches still sending their initial state. */
guint    ph_sim_watch_count_streaming (PhSimServer         *self);
void     ph_sim_watcher_free      (PhSimWatcher            *watcher);

/* ph-sim-server.c */
void     ph_sim_server_control    (PhSimServer             *self,
                                   SoupServerMessage       *msg);
/* Runs @func on the server's thread and waits for it. */
void     ph_sim_server_run_sync   (PhSimServer             *self,
                                   GSourceFunc              func,
                                   gpointer                 data);

G_END_DECLS
