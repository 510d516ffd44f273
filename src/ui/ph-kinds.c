/* ph-kinds.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "ph-kinds.h"

struct _PhKind
{
  GObject             parent_instance;

  const char         *section;
  const char         *title;
  char               *group;
  char               *version;
  char               *resource;
  char               *kind;
  char               *id;
  char               *custom_title;
  const PhColumnInfo *columns;
  guint               n_columns;
  gboolean            namespaced;
  /* Columns of a custom kind from its CRD, and the strings they point to. */
  GArray             *own_columns;
  GPtrArray          *own_strings;
  PhPluginView       *plugin_view;
  char               *own_section;
};

G_DEFINE_FINAL_TYPE (PhKind, ph_kind, G_TYPE_OBJECT)

#define COL(t, title) { PH_COLUMN_##t, title, NULL, FALSE }
#define NAME_COL { PH_COLUMN_NAME, N_("Name"), NULL, TRUE }
#define EXTRA(title, path) { PH_COLUMN_EXTRA, title, path, FALSE }
/* The column that tells the rows apart best after their names: it starts
 * wide enough for its usual values instead of ellipsizing them at ten
 * characters. */
#define WIDE(title, path, width) { PH_COLUMN_EXTRA, title, path, FALSE, width }

/* Like kubectl get's default columns.  "@id" fields are extracted by
 * PhObject itself; dotted paths are read from the object's JSON.  Lists
 * take a JSONPath ("[*]"), whose matches join with commas as in kubectl. */
static const PhColumnInfo pod_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), COL (READY, N_("Ready")), COL (STATUS, N_("Status")),
  COL (RESTARTS, N_("Restarts")), COL (AGE, N_("Age")), COL (NODE, N_("Node")),
};
static const PhColumnInfo deployment_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), COL (READY, N_("Ready")),
  EXTRA (N_("Up-to-date"), "@up-to-date"), EXTRA (N_("Available"), "@available"),
  COL (AGE, N_("Age")),
};
static const PhColumnInfo replicaset_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Desired"), "@desired"),
  EXTRA (N_("Current"), "@current"), COL (READY, N_("Ready")), COL (AGE, N_("Age")),
};
static const PhColumnInfo statefulset_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), COL (READY, N_("Ready")), COL (AGE, N_("Age")),
};
static const PhColumnInfo daemonset_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Desired"), "@desired"),
  EXTRA (N_("Current"), "@current"), EXTRA (N_("Ready"), "status.numberReady"),
  EXTRA (N_("Up-to-date"), "@up-to-date"), EXTRA (N_("Available"), "@available"), COL (AGE, N_("Age")),
};
static const PhColumnInfo job_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Completions"), "@completions"),
  EXTRA (N_("Active"), "@active"), COL (AGE, N_("Age")),
};
static const PhColumnInfo cronjob_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Schedule"), "@schedule"),
  EXTRA (N_("Suspend"), "@suspend"), EXTRA (N_("Active"), "@active"),
  EXTRA (N_("Last Schedule"), "@last-schedule"), COL (AGE, N_("Age")),
};
static const PhColumnInfo service_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Type"), "@type"),
  EXTRA (N_("Cluster IP"), "@cluster-ip"), EXTRA (N_("External IP"), "@external-ip"),
  EXTRA (N_("Ports"), "@ports"), COL (AGE, N_("Age")),
};
/* A load balancer entry holds either an IP or a host name (kubectl shows
 * whichever is set); the wildcard reads both.  Ports ("80, 443" when the
 * ingress has TLS) is derived, so PhObject works it out. */
static const PhColumnInfo ingress_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Class"), "spec.ingressClassName"),
  WIDE (N_("Hosts"), ".spec.rules[*].host", 180), WIDE (N_("Address"), ".status.loadBalancer.ingress[*].*", 120),
  EXTRA (N_("Ports"), "@ports"), COL (AGE, N_("Age")),
};
static const PhColumnInfo endpointslice_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Address Type"), "addressType"),
  EXTRA (N_("Ports"), ".ports[*].port"), WIDE (N_("Endpoints"), ".endpoints[*].addresses[*]", 240),
  COL (AGE, N_("Age")),
};
static const PhColumnInfo configmap_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Data"), "@data"), COL (AGE, N_("Age")),
};
static const PhColumnInfo secret_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), WIDE (N_("Type"), "@type", 260), EXTRA (N_("Data"), "@data"),
  COL (AGE, N_("Age")),
};
/* Capacity and access modes are what the bound volume provides (status),
 * not what the claim asked for, as kubectl shows them. */
static const PhColumnInfo pvc_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Status"), "status.phase"),
  EXTRA (N_("Volume"), "spec.volumeName"), EXTRA (N_("Capacity"), "status.capacity.storage"),
  EXTRA (N_("Access Modes"), ".status.accessModes[*]"), EXTRA (N_("Storage Class"), "spec.storageClassName"),
  COL (AGE, N_("Age")),
};
static const PhColumnInfo pv_columns[] = {
  NAME_COL, EXTRA (N_("Capacity"), "spec.capacity.storage"),
  EXTRA (N_("Reclaim Policy"), "spec.persistentVolumeReclaimPolicy"), EXTRA (N_("Status"), "status.phase"),
  EXTRA (N_("Storage Class"), "spec.storageClassName"), COL (AGE, N_("Age")),
};
/* kubectl appends " (default)" to the default class's name; a path can
 * only read the annotation, so it gets a column of its own. */
static const PhColumnInfo storageclass_columns[] = {
  NAME_COL, EXTRA (N_("Default"), ".metadata.annotations['storageclass.kubernetes.io/is-default-class']"),
  WIDE (N_("Provisioner"), "provisioner", 170), EXTRA (N_("Reclaim Policy"), "reclaimPolicy"),
  EXTRA (N_("Volume Binding Mode"), "volumeBindingMode"),
  EXTRA (N_("Allow Volume Expansion"), "allowVolumeExpansion"), COL (AGE, N_("Age")),
};
static const PhColumnInfo node_columns[] = {
  NAME_COL, COL (STATUS, N_("Status")), EXTRA (N_("Roles"), "@roles"), COL (AGE, N_("Age")),
  EXTRA (N_("Version"), "@version"),
};
static const PhColumnInfo namespace_columns[] = {
  NAME_COL, COL (STATUS, N_("Status")), COL (AGE, N_("Age")),
};
static const PhColumnInfo event_columns[] = {
  COL (NAMESPACE, N_("Namespace")), EXTRA (N_("Last Seen"), "@last-seen"), EXTRA (N_("Type"), "@type"),
  EXTRA (N_("Reason"), "@reason"), WIDE (N_("Object"), "@object", 250),
  { PH_COLUMN_EXTRA, N_("Message"), "@message", TRUE },
};
static const PhColumnInfo custom_namespaced_columns[] = {
  NAME_COL, COL (NAMESPACE, N_("Namespace")), COL (AGE, N_("Age")),
};
static const PhColumnInfo custom_cluster_columns[] = {
  NAME_COL, COL (AGE, N_("Age")),
};

typedef struct
{
  const char         *section;
  const char         *title;
  const char         *group;
  const char         *version;
  const char         *resource;
  const char         *kind;
  gboolean            namespaced;
  const PhColumnInfo *columns;
  guint               n_columns;
} BuiltinKind;

#define KIND(section, title, group, version, resource, kind, ns, cols) \
  { section, title, group, version, resource, kind, ns, cols, G_N_ELEMENTS (cols) }

static const BuiltinKind builtin_kinds[] = {
  KIND (N_("Workloads"), N_("Pods"), "", "v1", "pods", "Pod", TRUE, pod_columns),
  KIND (N_("Workloads"), N_("Deployments"), "apps", "v1", "deployments", "Deployment", TRUE, deployment_columns),
  KIND (N_("Workloads"), N_("Replica Sets"), "apps", "v1", "replicasets", "ReplicaSet", TRUE, replicaset_columns),
  KIND (N_("Workloads"), N_("Stateful Sets"), "apps", "v1", "statefulsets", "StatefulSet", TRUE, statefulset_columns),
  KIND (N_("Workloads"), N_("Daemon Sets"), "apps", "v1", "daemonsets", "DaemonSet", TRUE, daemonset_columns),
  KIND (N_("Workloads"), N_("Jobs"), "batch", "v1", "jobs", "Job", TRUE, job_columns),
  KIND (N_("Workloads"), N_("Cron Jobs"), "batch", "v1", "cronjobs", "CronJob", TRUE, cronjob_columns),
  KIND (N_("Network"), N_("Services"), "", "v1", "services", "Service", TRUE, service_columns),
  KIND (N_("Network"), N_("Ingresses"), "networking.k8s.io", "v1", "ingresses", "Ingress", TRUE, ingress_columns),
  KIND (N_("Network"), N_("Endpoint Slices"), "discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", TRUE, endpointslice_columns),
  KIND (N_("Config"), N_("Config Maps"), "", "v1", "configmaps", "ConfigMap", TRUE, configmap_columns),
  KIND (N_("Config"), N_("Secrets"), "", "v1", "secrets", "Secret", TRUE, secret_columns),
  KIND (N_("Storage"), N_("Persistent Volume Claims"), "", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", TRUE, pvc_columns),
  KIND (N_("Storage"), N_("Persistent Volumes"), "", "v1", "persistentvolumes", "PersistentVolume", FALSE, pv_columns),
  KIND (N_("Storage"), N_("Storage Classes"), "storage.k8s.io", "v1", "storageclasses", "StorageClass", FALSE, storageclass_columns),
  KIND (N_("Cluster"), N_("Nodes"), "", "v1", "nodes", "Node", FALSE, node_columns),
  KIND (N_("Cluster"), N_("Namespaces"), "", "v1", "namespaces", "Namespace", FALSE, namespace_columns),
  KIND (N_("Cluster"), N_("Events"), "", "v1", "events", "Event", TRUE, event_columns),
};

static void
ph_kind_finalize (GObject *object)
{
  PhKind *self = PH_KIND (object);

  g_free (self->group);
  g_free (self->version);
  g_free (self->resource);
  g_free (self->kind);
  g_free (self->id);
  g_free (self->custom_title);
  g_clear_pointer (&self->own_columns, g_array_unref);
  g_clear_pointer (&self->own_strings, g_ptr_array_unref);
  g_clear_object (&self->plugin_view);
  g_free (self->own_section);

  G_OBJECT_CLASS (ph_kind_parent_class)->finalize (object);
}

static void
ph_kind_class_init (PhKindClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ph_kind_finalize;
}

static void
ph_kind_init (PhKind *self)
{
}

static PhKind *
ph_kind_new (const char *group,
             const char *version,
             const char *resource,
             const char *kind,
             gboolean    namespaced)
{
  PhKind *self = g_object_new (PH_TYPE_KIND, NULL);

  self->group = g_strdup (group);
  self->version = g_strdup (version);
  self->resource = g_strdup (resource);
  self->kind = g_strdup (kind);
  self->namespaced = namespaced;
  if (group[0] == '\0')
    self->id = g_strdup (resource);
  else
    self->id = g_strconcat (resource, ".", group, NULL);

  return self;
}

PhKind *
ph_kind_new_custom (const char *group,
                    const char *version,
                    const char *resource,
                    const char *kind,
                    gboolean    namespaced)
{
  PhKind *self;

  g_return_val_if_fail (group != NULL && version != NULL && resource != NULL && kind != NULL, NULL);

  self = ph_kind_new (group, version, resource, kind, namespaced);
  self->section = NULL;
  /* Lists read best in the plural: "widgets" → "Widgets". */
  self->custom_title = g_strdup (resource);
  self->custom_title[0] = g_ascii_toupper (self->custom_title[0]);
  self->title = self->custom_title;
  if (namespaced)
    {
      self->columns = custom_namespaced_columns;
      self->n_columns = G_N_ELEMENTS (custom_namespaced_columns);
    }
  else
    {
      self->columns = custom_cluster_columns;
      self->n_columns = G_N_ELEMENTS (custom_cluster_columns);
    }

  return self;
}

GListModel *
ph_kinds_get_builtin (void)
{
  static GListStore *store;

  if (g_once_init_enter (&store))
    {
      GListStore *kinds = g_list_store_new (PH_TYPE_KIND);

      for (guint i = 0; i < G_N_ELEMENTS (builtin_kinds); i++)
        {
          const BuiltinKind *b = &builtin_kinds[i];
          g_autoptr(PhKind) kind = ph_kind_new (b->group, b->version, b->resource, b->kind, b->namespaced);

          kind->section = b->section;
          kind->title = b->title;
          kind->columns = b->columns;
          kind->n_columns = b->n_columns;
          g_list_store_append (kinds, kind);
        }

      g_once_init_leave (&store, kinds);
    }

  return G_LIST_MODEL (store);
}

PhKind *
ph_kinds_lookup_builtin (const char *id)
{
  GListModel *kinds = ph_kinds_get_builtin ();
  guint n = g_list_model_get_n_items (kinds);

  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PhKind) kind = g_list_model_get_item (kinds, i);

      if (g_str_equal (kind->id, id))
        return kind;
    }

  return NULL;
}

gboolean
ph_kinds_is_builtin_group (const char *group)
{
  static const char * const groups[] = {
    "", "apps", "batch", "networking.k8s.io", "discovery.k8s.io", "storage.k8s.io",
    "policy", "autoscaling", "rbac.authorization.k8s.io", "apiextensions.k8s.io",
    "admissionregistration.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io",
    "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io",
    "events.k8s.io", "flowcontrol.apiserver.k8s.io", "node.k8s.io", "scheduling.k8s.io",
    "metrics.k8s.io",
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      if (g_strcmp0 (groups[i], group) == 0)
        return TRUE;
    }

  return FALSE;
}

const char *
ph_kind_get_section (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->section;
}

const char *
ph_kind_get_title (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->custom_title != NULL ? self->custom_title : _(self->title);
}

const char *
ph_kind_get_group (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->group;
}

const char *
ph_kind_get_version (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->version;
}

const char *
ph_kind_get_resource (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->resource;
}

const char *
ph_kind_get_kind (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->kind;
}

gboolean
ph_kind_get_namespaced (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), FALSE);

  return self->namespaced;
}

const char *
ph_kind_get_id (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->id;
}

const PhColumnInfo *
ph_kind_get_columns (PhKind *self,
                     guint  *n_columns)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);
  g_return_val_if_fail (n_columns != NULL, NULL);

  *n_columns = self->n_columns;
  return self->columns;
}

void
ph_kind_set_printer_columns (PhKind    *self,
                             JsonArray *columns)
{
  PhColumnInfo name = NAME_COL;
  PhColumnInfo ns = COL (NAMESPACE, N_("Namespace"));
  guint n;

  g_return_if_fail (PH_IS_KIND (self));
  g_return_if_fail (columns != NULL);

  g_clear_pointer (&self->own_columns, g_array_unref);
  g_clear_pointer (&self->own_strings, g_ptr_array_unref);
  self->own_columns = g_array_new (FALSE, FALSE, sizeof (PhColumnInfo));
  self->own_strings = g_ptr_array_new_with_free_func (g_free);

  g_array_append_val (self->own_columns, name);
  if (self->namespaced)
    g_array_append_val (self->own_columns, ns);

  n = json_array_get_length (columns);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *column = json_array_get_object_element (columns, i);
      const char *title = column != NULL ? json_object_get_string_member_with_default (column, "name", NULL) : NULL;
      const char *type = column != NULL ? json_object_get_string_member_with_default (column, "type", "") : "";
      const char *path = column != NULL ? json_object_get_string_member_with_default (column, "jsonPath", NULL) : NULL;
      PhColumnInfo info = { PH_COLUMN_EXTRA, NULL, NULL, FALSE };
      char *title_copy, *field;

      if (title == NULL || path == NULL)
        continue;

      /* Dates show as ages, like kubectl; the creation time is the Age
       * column everyone knows. */
      if (g_str_equal (path, ".metadata.creationTimestamp"))
        info.type = PH_COLUMN_AGE;

      title_copy = g_strdup (title);
      g_ptr_array_add (self->own_strings, title_copy);
      info.title = title_copy;

      /* The cell evaluates the path as the JSONPath it is; one without the
       * leading dot is taken as relative to the object, like kubectl. */
      field = path[0] == '.' || path[0] == '{' || path[0] == '$' ? g_strdup (path) : g_strconcat (".", path, NULL);
      g_ptr_array_add (self->own_strings, field);
      info.field = field;
      (void) type;

      g_array_append_val (self->own_columns, info);
    }

  self->columns = (const PhColumnInfo *) self->own_columns->data;
  self->n_columns = self->own_columns->len;
}

PhKind *
ph_kind_new_for_plugin_view (PhPluginView *view)
{
  PhColumnInfo name = NAME_COL;
  PhColumnInfo ns = COL (NAMESPACE, N_("Namespace"));
  PhColumnInfo age = COL (AGE, N_("Age"));
  GPtrArray *fields;
  PhKind *self;
  g_autofree char *resource_id = NULL;

  g_return_val_if_fail (PH_IS_PLUGIN_VIEW (view), NULL);

  self = ph_kind_new (ph_plugin_view_get_group (view), ph_plugin_view_get_version (view),
                      ph_plugin_view_get_resource (view), ph_plugin_view_get_kind (view),
                      ph_plugin_view_get_namespaced (view));
  self->plugin_view = g_object_ref (view);

  resource_id = self->id;
  self->id = g_strdup_printf ("plugin:%s/%s", ph_plugin_view_get_plugin (view), resource_id);
  self->own_section = g_strdup (ph_plugin_view_get_sidebar_group (view));
  self->section = self->own_section;
  self->custom_title = g_strdup (ph_plugin_view_get_title (view));
  self->title = self->custom_title;

  self->own_columns = g_array_new (FALSE, FALSE, sizeof (PhColumnInfo));
  self->own_strings = g_ptr_array_new_with_free_func (g_free);
  g_array_append_val (self->own_columns, name);
  if (self->namespaced)
    g_array_append_val (self->own_columns, ns);

  fields = ph_plugin_view_get_columns (view);
  for (guint i = 0; i < fields->len; i++)
    {
      PhPluginField *field = g_ptr_array_index (fields, i);
      PhColumnInfo info = { PH_COLUMN_JSONPATH, NULL, NULL, FALSE };
      char *title = g_strdup (field->name);
      char *path = g_strdup (ph_json_path_get_text (field->path));

      g_ptr_array_add (self->own_strings, title);
      g_ptr_array_add (self->own_strings, path);
      info.title = title;
      info.field = path;
      g_array_append_val (self->own_columns, info);
    }
  g_array_append_val (self->own_columns, age);

  self->columns = (const PhColumnInfo *) self->own_columns->data;
  self->n_columns = self->own_columns->len;

  return self;
}

PhPluginView *
ph_kind_get_plugin_view (PhKind *self)
{
  g_return_val_if_fail (PH_IS_KIND (self), NULL);

  return self->plugin_view;
}
