/* ph-object-private.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ph-object.h"

G_BEGIN_DECLS

/* Kinds with their own display fields. */
typedef enum {
  PH_KIND_OTHER,
  PH_KIND_POD,
  PH_KIND_DEPLOYMENT,
  PH_KIND_REPLICA_SET,
  PH_KIND_STATEFUL_SET,
  PH_KIND_DAEMON_SET,
  PH_KIND_SERVICE,
  PH_KIND_NODE,
  PH_KIND_EVENT,
  PH_KIND_NAMESPACE,
  PH_KIND_CONFIG_MAP,
  PH_KIND_SECRET,
  PH_KIND_JOB,
  PH_KIND_CRON_JOB,
  PH_KIND_INGRESS,
  PH_N_KINDS
} PhKindId;

/* String slots of an object; the C* slots hold kind-specific columns. */
typedef enum {
  PH_SLOT_UID,
  PH_SLOT_NAME,
  PH_SLOT_NAMESPACE,
  PH_SLOT_RESOURCE_VERSION,
  PH_SLOT_KIND,
  PH_SLOT_STATUS,
  PH_SLOT_READY,
  PH_SLOT_NODE,
  PH_SLOT_RESTARTS,
  PH_SLOT_C1,
  PH_SLOT_C2,
  PH_SLOT_C3,
  PH_SLOT_C4,
  PH_SLOT_C5,
  PH_N_SLOTS
} PhSlot;

/* Everything extracted from one version of an object.  Built on any
 * thread; handed to the main thread to create or update a PhObject.
 * All strings live in one block: first the NULL-terminated labels
 * pointer array, then the NUL-separated strings. */
typedef struct {
  GBytes   *json;
  char     *block;
  guint32   offs[PH_N_SLOTS];
  gint64    creation;
  gint64    restarts;
  guint     n_labels;
  PhKindId  kind_id;
} PhObjectFields;

struct _PhObject
{
  GObject         parent_instance;

  PhObjectFields  f;
  const char     *context;   /* interned */

  /* Owned by PhListCache: where the object sits in its sequence, and the
   * list generation that last saw it (for reconcile after a relist). */
  GSequenceIter  *cache_iter;
  guint           cache_generation;
  guint           cache_pending_add : 1;
  guint           cache_pending_update : 1;
};

PhKindId        ph_kind_id_from_resource      (const char        *resource);
PhKindId        ph_kind_id_from_kind          (const char        *kind);

/* Copies @json and scans it; fails on malformed JSON or when the object
 * has no metadata.uid. */
PhObjectFields *ph_object_fields_new          (const char        *json,
                                               gsize              len,
                                               PhKindId           kind_hint,
                                               GError           **error);
void            ph_object_fields_free         (PhObjectFields    *fields);
static inline const char *
ph_object_fields_get (const PhObjectFields *f,
                      PhSlot                slot)
{
  return f->block + f->offs[slot];
}

PhObject       *ph_object_new_take_fields     (PhObjectFields    *fields,
                                               const char        *context);
/* Replaces the object's version in place, notifying only what changed.
 * Takes @fields. */
void            ph_object_update_take_fields  (PhObject          *self,
                                               PhObjectFields    *fields);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhObjectFields, ph_object_fields_free)

G_END_DECLS
