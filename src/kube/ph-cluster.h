/* ph-cluster.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ph-kube-types.h"

G_BEGIN_DECLS

/* One connection to one kubeconfig context: a SoupSession with the
 * context's TLS settings, its credentials (token, token file, client
 * certificate, exec plugin) and its discovery cache.  Every request of
 * Porthole to a cluster goes through the helpers below so that auth,
 * 401-refresh-and-retry and error mapping live in one place.  Use it from
 * the thread whose main context is the default one (the main thread).
 *
 * Errors are PH_KUBE_ERROR (or G_IO_ERROR_CANCELLED) with messages that
 * name the context and say what to do; they never contain credentials. */

#define PH_TYPE_CLUSTER (ph_cluster_get_type ())
G_DECLARE_FINAL_TYPE (PhCluster, ph_cluster, PH, CLUSTER, GObject)

#define PH_TYPE_RESOURCE_INFO (ph_resource_info_get_type ())

struct _PhResourceInfo
{
  /*< public, read-only >*/
  char      *group;       /* "" for the core group */
  char      *version;     /* "v1" */
  char      *resource;    /* plural: "pods" */
  char      *kind;        /* "Pod" */
  char      *singular;    /* "pod" */
  char     **short_names; /* "po" */
  char     **verbs;
  gboolean   namespaced;
  /*< private >*/
  gatomicrefcount ref_count;
};

GType           ph_resource_info_get_type  (void) G_GNUC_CONST;
PhResourceInfo *ph_resource_info_ref       (PhResourceInfo *info);
void            ph_resource_info_unref     (PhResourceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhResourceInfo, ph_resource_info_unref)

/* Creates the cluster for @context_name of @config (NULL: the current
 * context).  Fails (with PH_KUBE_ERROR_CONFIG) when that context is
 * broken.  Does no I/O: exec plugins run lazily on the first request. */
PhCluster      *ph_cluster_new                    (PhKubeconfig        *config,
                                                   const char          *context_name,
                                                   GError             **error);
/* A cluster from a server URL, an optional bearer token and an optional CA
 * (PEM), as if a kubeconfig said so; for tests and tools. */
PhCluster      *ph_cluster_new_for_server         (const char          *context_name,
                                                   const char          *server_url,
                                                   const char          *token,
                                                   const char          *ca_pem,
                                                   GError             **error);
/* The kubeconfig context it was made from. */
PhContext      *ph_cluster_get_context            (PhCluster           *self);
/* Bounds DNS + TCP + TLS handshake of new connections (default 30 s; 0:
 * none).  Requests and streams themselves have no timeout. */
void            ph_cluster_set_connect_timeout    (PhCluster           *self,
                                                   guint                seconds);
/* How often the exec plugin ran (0 without one). */
guint           ph_cluster_get_exec_runs          (PhCluster           *self);
const char     *ph_cluster_get_context_name       (PhCluster           *self);
const char     *ph_cluster_get_server             (PhCluster           *self);
/* The context's namespace, or "default". */
const char     *ph_cluster_get_default_namespace  (PhCluster           *self);
SoupSession    *ph_cluster_get_session            (PhCluster           *self);

/* Builds the absolute URI for @path_and_query ("/api/v1/pods?limit=500")
 * on this cluster's server (which may carry a path prefix). */
GUri           *ph_cluster_build_uri              (PhCluster           *self,
                                                   const char          *path_and_query);
/* A new message for @method and @path_and_query, not yet authorized. */
SoupMessage    *ph_cluster_new_message            (PhCluster           *self,
                                                   const char          *method,
                                                   const char          *path_and_query);

/* Adds credentials (Authorization header, client certificate) to @msg,
 * running the exec plugin first when its credential is missing or expired. */
void            ph_cluster_authorize_message_async  (PhCluster           *self,
                                                     SoupMessage         *msg,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean        ph_cluster_authorize_message_finish (PhCluster           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* Forgets a cached exec/token-file credential after a 401 so that the next
 * authorize fetches a fresh one. */
void            ph_cluster_invalidate_credentials   (PhCluster           *self);

/* A whole request: authorize, send, on 401 refresh credentials once and
 * retry, read the body.  Non-2xx statuses become PH_KUBE_ERROR errors
 * whose message is the Status message of the server; @out_status gets the
 * HTTP status in every case (0 on transport errors). */
void            ph_cluster_request_async          (PhCluster           *self,
                                                   const char          *method,
                                                   const char          *path_and_query,
                                                   GBytes              *body,
                                                   const char          *content_type,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GBytes         *ph_cluster_request_finish         (PhCluster           *self,
                                                   GAsyncResult        *result,
                                                   guint               *out_status,
                                                   GError             **error);

/* Opens a streaming GET (a watch) with the same auth and retry rules;
 * returns the body stream once headers arrived with a 2xx status. */
void            ph_cluster_open_stream_async      (PhCluster           *self,
                                                   const char          *path_and_query,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GInputStream   *ph_cluster_open_stream_finish     (PhCluster           *self,
                                                   GAsyncResult        *result,
                                                   guint               *out_status,
                                                   GError             **error);

/* Opens a WebSocket to @path_and_query (with an Origin header, no
 * subprotocol, the token in the Authorization header). */
void            ph_cluster_websocket_connect_async  (PhCluster           *self,
                                                     const char          *path_and_query,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
SoupWebsocketConnection *
                ph_cluster_websocket_connect_finish (PhCluster           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Discovery, cached per cluster: aggregated discovery (two requests) where
 * the server offers it, else /api, /apis and each group's preferred
 * version.  A group that fails (an aggregated API that is down) is left
 * out rather than failing the whole.  The array holds PhResourceInfo,
 * core group first, then groups in the server's order of preference. */
void            ph_cluster_discover_async         (PhCluster           *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray      *ph_cluster_discover_finish        (PhCluster           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* Forgets the discovery cache (e.g. after CRDs changed). */
void            ph_cluster_invalidate_discovery   (PhCluster           *self);
/* Resolves what kubectl accepts: "pods", "pod", "po", "deploy",
 * "deployments.apps", "widgets.demo.porthole.io". */
void            ph_cluster_resolve_resource_async (PhCluster           *self,
                                                   const char          *name,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
PhResourceInfo *ph_cluster_resolve_resource_finish (PhCluster          *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
