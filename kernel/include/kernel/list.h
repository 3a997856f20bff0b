/* Intrusive circular doubly linked lists (the kernel's queues). */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include <kernel/compiler.h>

struct list {
	struct list *next, *prev;
};

#define LIST_INIT(name) {&(name), &(name)}
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))
#define list_entry(p, type, member) container_of(p, type, member)

static inline void list_init(struct list *l)
{
	l->next = l->prev = l;
}

static inline bool list_empty(const struct list *l)
{
	return l->next == l;
}

/* (Each link read once: a store through one may alias another.) */
static inline void list_insert_before(struct list *pos, struct list *n)
{
	struct list *prev = pos->prev;

	n->prev = prev;
	n->next = pos;
	prev->next = n;
	pos->prev = n;
}

static inline void list_add_tail(struct list *head, struct list *n)
{
	list_insert_before(head, n);
}

static inline void list_add_head(struct list *head, struct list *n)
{
	list_insert_before(head->next, n);
}

/* Unlink n and leave it pointing at itself, so a second remove is harmless
 * and list_empty(n) tells whether it is on a list. */
static inline void list_remove(struct list *n)
{
	struct list *prev = n->prev, *next = n->next;

	prev->next = next;
	next->prev = prev;
	n->next = n->prev = n;
}

/* Unlink n and leave its links stale: for a thread's queue link that
 * nothing tests or removes again before it is linked anew (a receiver
 * taken by a message or pulse, its wait over: wait_leave clears the
 * cancel that would remove it). */
static inline void list_unlink(struct list *n)
{
	struct list *prev = n->prev, *next = n->next;

	prev->next = next;
	next->prev = prev;
}

#define list_for_each(it, head) for (struct list *it = (head)->next; it != (head); it = it->next)
/* Safe against removal of the current element. */
#define list_for_each_safe(it, tmp, head)                                                         \
	for (struct list *it = (head)->next, *tmp = it->next; it != (head); it = tmp, tmp = it->next)

#endif
