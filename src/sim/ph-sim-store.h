/* ph-sim-store.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The resources the simulated cluster serves, in the order of the table in
 * ph-sim-resources.c. */
typedef enum {
  PH_SIM_RES_NAMESPACES,
  PH_SIM_RES_PODS,
  PH_SIM_RES_DEPLOYMENTS,
  PH_SIM_RES_REPLICASETS,
  PH_SIM_RES_SERVICES,
  PH_SIM_RES_CONFIGMAPS,
  PH_SIM_RES_NODES,
  PH_SIM_RES_EVENTS,
  PH_SIM_RES_WIDGETS,
  PH_SIM_RES_CRDS,
  PH_SIM_RES_STATEFULSETS,
  PH_SIM_RES_DAEMONSETS,
  PH_SIM_RES_JOBS,
  PH_SIM_RES_CRONJOBS,
  PH_SIM_RES_INGRESSES,
  PH_SIM_RES_ENDPOINTSLICES,
  PH_SIM_RES_SECRETS,
  PH_SIM_RES_PVCS,
  PH_SIM_RES_PVS,
  PH_SIM_RES_STORAGECLASSES,
  PH_SIM_N_RES
} PhSimResId;

typedef struct {
  const char *group;          /* "" for the core group */
  const char *version;
  const char *resource;       /* plural, as in the URL */
  const char *singular;
  const char *kind;
  const char *list_kind;
  gboolean    namespaced;
  const char *short_names;    /* JSON array text */
  const char *categories;     /* JSON array text */
  const char *columns;        /* Table columnDefinitions, JSON array text */
  /* Field selector labels beyond metadata.name and metadata.namespace. */
  const char *const *field_labels;
} PhSimResource;

extern const PhSimResource ph_sim_resources[PH_SIM_N_RES];

const PhSimResource *ph_sim_resource_lookup (const char *group,
                                             const char *version,
                                             const char *resource,
                                             PhSimResId *out_id);

/* One version of one object, immutable once committed: lists, continue
 * snapshots, the watch history and watchers share it by reference, which
 * is why a consistent snapshot of 50,000 pods costs only pointers. */
typedef struct {
  gint        ref_count;
  PhSimResId  res;
  char       *namespace_;     /* NULL when cluster-scoped */
  char       *name;
  char       *key;            /* "namespace/name" or "name": the list order */
  char       *uid;
  guint64     rv;
  gint64      created;        /* unix seconds, for the Age column */
  GBytes     *json;           /* the whole object, serialized */
  gsize       meta_offset;    /* the "metadata" value inside json */
  gsize       meta_length;
  gsize       managed_offset;    /* ',"managedFields":[…]' inside the metadata, */
  gsize       managed_length;    /* or 0 when there is none */
  char       *cells_before_age;  /* Table cells around the Age cell */
  char       *cells_after_age;
  /* When not 0, the cell PH_SIM_SINCE_CELL in cells_before_age shows the
   * time since then, like Age: a CronJob's last schedule, a running
   * Job's duration. */
  gint64      since;
  char      **labels;         /* key, value, key, value, …, NULL */
  char      **fields;         /* field-selector label, value, …, NULL */
} PhSimObj;

#define PH_SIM_SINCE_CELL "\"@since\""

PhSimObj *ph_sim_obj_ref   (PhSimObj *obj);
void      ph_sim_obj_unref (PhSimObj *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhSimObj, ph_sim_obj_unref)

/* The metadata of @obj as JSON text (not NUL-terminated). */
const char *ph_sim_obj_get_meta (PhSimObj *obj,
                                 gsize    *length);
const char *ph_sim_obj_get_json (PhSimObj *obj,
                                 gsize    *length);
const char *ph_sim_obj_lookup_field (PhSimObj   *obj,
                                     const char *label);

typedef enum {
  PH_SIM_EVENT_ADDED,
  PH_SIM_EVENT_MODIFIED,
  PH_SIM_EVENT_DELETED,
} PhSimEventType;

const char *ph_sim_event_type_to_string (PhSimEventType type);

typedef struct {
  PhSimEventType type;
  guint64        rv;
  PhSimObj      *obj;        /* the new version (for DELETED: the last one, at rv) */
  PhSimObj      *old;        /* the version before, or NULL for ADDED */
} PhSimEvent;

typedef struct _PhSimStore PhSimStore;

typedef void (*PhSimStoreListener) (const PhSimEvent *event,
                                    gpointer          user_data);

PhSimStore *ph_sim_store_new          (guint               history_size);
void        ph_sim_store_free         (PhSimStore         *self);
void        ph_sim_store_set_listener (PhSimStore         *self,
                                       PhSimStoreListener  listener,
                                       gpointer            user_data);
guint64     ph_sim_store_get_rv       (PhSimStore         *self);
/* The resourceVersion the next commit must carry. */
guint64     ph_sim_store_next_rv      (PhSimStore         *self);
/* Adds, replaces or removes @obj (whose rv must be ph_sim_store_next_rv()),
 * records the event in the history and tells the listener.  Takes a
 * reference.  Returns FALSE if the event makes no sense (ADDED of an
 * existing key, MODIFIED or DELETED of a missing one). */
gboolean    ph_sim_store_commit       (PhSimStore         *self,
                                       PhSimEventType      type,
                                       PhSimObj           *obj);
/* Like an ADDED commit but not recorded in the history: the initial
 * population of the cluster.  Watches from before it get 410. */
void        ph_sim_store_populate     (PhSimStore         *self,
                                       PhSimObj           *obj);
PhSimObj   *ph_sim_store_lookup       (PhSimStore         *self,
                                       PhSimResId          res,
                                       const char         *key);
guint       ph_sim_store_count        (PhSimStore         *self,
                                       PhSimResId          res);
/* The objects of @res (in @namespace_ if not NULL), in key order, with a
 * reference each. */
GPtrArray  *ph_sim_store_list         (PhSimStore         *self,
                                       PhSimResId          res,
                                       const char         *namespace_);
/* The same at an older resourceVersion, rebuilt from the history; NULL if
 * @rv has been compacted away or is in the future. */
GPtrArray  *ph_sim_store_list_at      (PhSimStore         *self,
                                       PhSimResId          res,
                                       const char         *namespace_,
                                       guint64             rv);
/* Events with a resourceVersion above this one are all still in the
 * history; watches from an older version must get 410 Gone. */
guint64     ph_sim_store_get_compacted_rv (PhSimStore     *self);
void        ph_sim_store_compact      (PhSimStore         *self);
guint       ph_sim_store_get_history_length (PhSimStore   *self);
/* Calls @func for every recorded event with rv > @from_rv, oldest first.
 * Returns FALSE (calling nothing) when @from_rv is older than the history. */
gboolean    ph_sim_store_replay       (PhSimStore         *self,
                                       guint64             from_rv,
                                       PhSimStoreListener  func,
                                       gpointer            user_data);

G_END_DECLS
