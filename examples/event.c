/*
 * event: pulses, a timer and an event delivered later. A client thread
 * says hello with a pulse, then hands the server an event (a pulse to the
 * client's own channel) and asks to be told after three timer ticks. The
 * server answers at once, so nobody stays blocked, and starts a periodic
 * timer that sends it a pulse every 100 ms; on the third tick it delivers
 * the client's event with MsgDeliverEvent.
 *
 * Run: event
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/neutrino.h>
#include <time.h>

#define HELLO	    1 /* pulse codes: 0 to 127 are ours */
#define TICK	    2
#define DONE	    3
#define NOTIFY_ME   0x1000 /* a message type */
#define TICKS	    3
#define PERIOD_NSEC 100000000ull

struct notify_msg {
	uint16_t type;
	struct sigevent event;
};

static int server_chid;

static void *client(void *arg)
{
	(void)arg;
	int coid = ConnectAttach(ND_LOCAL_NODE, 0, server_chid, _NTO_SIDE_CHANNEL, 0);

	printf("client: saying hello, asking to be told after %d ticks\n", TICKS);
	/* A pulse: a code and a value, and we do not wait. */
	MsgSendPulse(coid, -1, HELLO, 42);

	/* Our own channel for the event to land on. */
	int chid = ChannelCreate(_NTO_CHF_PRIVATE);
	int self = ConnectAttach(ND_LOCAL_NODE, 0, chid, _NTO_SIDE_CHANNEL, 0);
	struct notify_msg m = {.type = NOTIFY_ME};
	SIGEV_PULSE_INIT(&m.event, self, SIGEV_PULSE_PRIO_INHERIT, DONE, 7);
	/* Registered: the server may deliver it but not make one up. */
	if (MsgRegisterEvent(&m.event, coid) != 0 || MsgSend(coid, &m, sizeof(m), NULL, 0) != 0) {
		perror("client: notify request");
		return (void *)1;
	}

	struct _pulse p;
	if (MsgReceivePulse(chid, &p, sizeof(p), NULL) != 0)
		return (void *)1;
	printf("client: got the event: pulse code %d value %d\n", p.code, p.value.sival_int);
	return NULL;
}

int main(void)
{
	server_chid = ChannelCreate(_NTO_CHF_PRIVATE);
	int self = ConnectAttach(ND_LOCAL_NODE, 0, server_chid, _NTO_SIDE_CHANNEL, 0);

	/* The timer's expiries arrive as TICK pulses on our channel. */
	struct sigevent tick;
	SIGEV_PULSE_INIT(&tick, self, SIGEV_PULSE_PRIO_INHERIT, TICK, 0);
	int timer = TimerCreate(CLOCK_MONOTONIC, &tick);
	if (timer < 0) {
		perror("server: TimerCreate");
		return 1;
	}

	pthread_t t;
	pthread_create(&t, NULL, client, NULL);

	int ticks = 0, waiting = 0;
	struct sigevent waiter;
	while (!ticks || waiting) {
		union {
			struct _pulse pulse;
			struct notify_msg notify;
		} msg;
		int rcvid = MsgReceive(server_chid, &msg, sizeof(msg), NULL);

		if (rcvid > 0 && msg.notify.type == NOTIFY_ME) {
			/* Keep the event and the rcvid, reply at once, start ticking. */
			waiter = msg.notify.event;
			waiting = rcvid;
			MsgReply(rcvid, 0, NULL, 0);
			struct _itimer every = {PERIOD_NSEC, PERIOD_NSEC};
			TimerSettime(timer, 0, &every, NULL);
			printf("server: timer started, a tick every 100 ms\n");
		} else if (rcvid == 0 && msg.pulse.code == HELLO) {
			printf("server: pulse HELLO with value %d\n", msg.pulse.value.sival_int);
		} else if (rcvid == 0 && msg.pulse.code == TICK) {
			printf("server: tick %d\n", ++ticks);
			if (ticks == TICKS) {
				MsgDeliverEvent(waiting, &waiter);
				waiting = 0;
			}
		}
	}
	TimerDestroy(timer);
	void *result;
	pthread_join(t, &result);
	printf("server: done after %d ticks\n", ticks);
	return result != NULL;
}
