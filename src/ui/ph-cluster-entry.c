/* ph-cluster-entry.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ph-cluster.h"
#include "ph-cluster-entry.h"

struct _PhClusterEntry
{
  GObject          parent_instance;

  char            *name;
  char            *server;
  PhCluster       *cluster;
  char            *error;
  char            *problem_field;
  PhKubeconfigProblem problem;
  char            *status_reason;
  PhClusterStatus  status;
  gboolean         selected;
};

G_DEFINE_FINAL_TYPE (PhClusterEntry, ph_cluster_entry, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PhClusterStatus, ph_cluster_status,
  G_DEFINE_ENUM_VALUE (PH_CLUSTER_STATUS_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (PH_CLUSTER_STATUS_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (PH_CLUSTER_STATUS_LIVE, "live"),
  G_DEFINE_ENUM_VALUE (PH_CLUSTER_STATUS_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (PH_CLUSTER_STATUS_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (PH_CLUSTER_STATUS_BROKEN, "broken"))

enum {
  PROP_0,
  PROP_NAME,
  PROP_SERVER,
  PROP_ERROR,
  PROP_PROBLEM,
  PROP_PROBLEM_FIELD,
  PROP_USABLE,
  PROP_SELECTED,
  PROP_STATUS,
  PROP_STATUS_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ph_cluster_entry_dispose (GObject *object)
{
  PhClusterEntry *self = PH_CLUSTER_ENTRY (object);

  g_clear_object (&self->cluster);

  G_OBJECT_CLASS (ph_cluster_entry_parent_class)->dispose (object);
}

static void
ph_cluster_entry_finalize (GObject *object)
{
  PhClusterEntry *self = PH_CLUSTER_ENTRY (object);

  g_free (self->name);
  g_free (self->server);
  g_free (self->error);
  g_free (self->problem_field);
  g_free (self->status_reason);

  G_OBJECT_CLASS (ph_cluster_entry_parent_class)->finalize (object);
}

static void
ph_cluster_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PhClusterEntry *self = PH_CLUSTER_ENTRY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_PROBLEM:
      g_value_set_enum (value, self->problem);
      break;

    case PROP_PROBLEM_FIELD:
      g_value_set_string (value, self->problem_field);
      break;

    case PROP_USABLE:
      g_value_set_boolean (value, self->cluster != NULL);
      break;

    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_STATUS_REASON:
      g_value_set_string (value, self->status_reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_cluster_entry_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PhClusterEntry *self = PH_CLUSTER_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      ph_cluster_entry_set_selected (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_cluster_entry_class_init (PhClusterEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ph_cluster_entry_dispose;
  object_class->finalize = ph_cluster_entry_finalize;
  object_class->get_property = ph_cluster_entry_get_property;
  object_class->set_property = ph_cluster_entry_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_SERVER] = g_param_spec_string ("server", NULL, NULL, NULL, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_PROBLEM] =
    g_param_spec_enum ("problem", NULL, NULL, PH_TYPE_KUBECONFIG_PROBLEM, PH_KUBECONFIG_PROBLEM_NONE, ro);
  properties[PROP_PROBLEM_FIELD] = g_param_spec_string ("problem-field", NULL, NULL, NULL, ro);
  properties[PROP_USABLE] = g_param_spec_boolean ("usable", NULL, NULL, FALSE, ro);
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, PH_TYPE_CLUSTER_STATUS, PH_CLUSTER_STATUS_IDLE, ro);
  properties[PROP_STATUS_REASON] = g_param_spec_string ("status-reason", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ph_cluster_entry_init (PhClusterEntry *self)
{
}

PhClusterEntry *
ph_cluster_entry_new (const char *name,
                      const char *server,
                      PhCluster  *cluster,
                      const char *error)
{
  PhClusterEntry *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (cluster == NULL || PH_IS_CLUSTER (cluster), NULL);

  self = g_object_new (PH_TYPE_CLUSTER_ENTRY, NULL);
  self->name = g_strdup (name);
  self->server = g_strdup (server);
  self->cluster = cluster != NULL ? g_object_ref (cluster) : NULL;
  self->error = g_strdup (error);
  if (cluster == NULL)
    {
      self->status = PH_CLUSTER_STATUS_BROKEN;
      self->status_reason = g_strdup (error);
    }

  return self;
}

PhClusterEntry *
ph_cluster_entry_new_broken (const char          *name,
                             const char          *server,
                             const char          *error,
                             PhKubeconfigProblem  problem,
                             const char          *field)
{
  PhClusterEntry *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = ph_cluster_entry_new (name, server, NULL, error);
  self->problem = problem;
  self->problem_field = g_strdup (field);

  return self;
}

const char *
ph_cluster_entry_get_name (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), NULL);

  return self->name;
}

const char *
ph_cluster_entry_get_server (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), NULL);

  return self->server;
}

PhCluster *
ph_cluster_entry_get_cluster (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), NULL);

  return self->cluster;
}

const char *
ph_cluster_entry_get_error (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), NULL);

  return self->error;
}

PhKubeconfigProblem
ph_cluster_entry_get_problem (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), PH_KUBECONFIG_PROBLEM_NONE);

  return self->problem;
}

const char *
ph_cluster_entry_get_problem_field (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), NULL);

  return self->problem_field;
}

gboolean
ph_cluster_entry_get_usable (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), FALSE);

  return self->cluster != NULL;
}

gboolean
ph_cluster_entry_get_selected (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), FALSE);

  return self->selected;
}

void
ph_cluster_entry_set_selected (PhClusterEntry *self,
                               gboolean        selected)
{
  g_return_if_fail (PH_IS_CLUSTER_ENTRY (self));

  selected = !!selected && self->cluster != NULL;
  if (self->selected == selected)
    return;

  self->selected = selected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

PhClusterStatus
ph_cluster_entry_get_status (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), PH_CLUSTER_STATUS_IDLE);

  return self->status;
}

const char *
ph_cluster_entry_get_status_reason (PhClusterEntry *self)
{
  g_return_val_if_fail (PH_IS_CLUSTER_ENTRY (self), NULL);

  return self->status_reason;
}

void
ph_cluster_entry_set_status (PhClusterEntry  *self,
                             PhClusterStatus  status,
                             const char      *reason)
{
  g_return_if_fail (PH_IS_CLUSTER_ENTRY (self));

  if (self->cluster == NULL)
    return;

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->status_reason, reason) != 0)
    {
      g_free (self->status_reason);
      self->status_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_REASON]);
    }
}
