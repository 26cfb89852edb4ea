"""An independent, deliberately plain reference for the fixtures.

Pure Python (no numpy, no twinnet): lists of lists, loops, the ``math``
module and ``math.fsum`` (correctly rounded sums, so the results do not depend
on a BLAS and are the same on every machine). It re-implements
docs/contract.md from the text -- including R's Mersenne-Twister seeding and
the Box-Muller normals, and numpy's legacy generator (section 23), in a plain
MT19937 loop -- so that the fixtures check the Python package and the R
package against a third implementation instead of against themselves. Slow on
purpose; only for small cases.
"""

import math

# ---------------------------------------------------------------- the stream


class MT19937:
    """The Mersenne Twister MT19937 (Matsumoto & Nishimura): a 624-word key and a position."""

    N, M = 624, 397

    def __init__(self, key, pos):
        self.mt = list(key)
        self.mti = pos
        self.words = 0  # 32-bit words drawn so far

    def _genrand(self):
        self.words += 1
        N, M, mt = self.N, self.M, self.mt
        if self.mti >= N:
            for kk in range(N):
                y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7FFFFFFF)
                mt[kk] = mt[(kk + M) % N] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.mti = 0
        y = mt[self.mti]
        self.mti += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y


class RStream(MT19937):
    """R's Mersenne-Twister after ``set.seed(seed)``, with Box-Muller normals."""

    def __init__(self, seed):
        x = seed & 0xFFFFFFFF
        for _ in range(50):
            x = (69069 * x + 1) & 0xFFFFFFFF
        seeds = []
        for _ in range(625):
            x = (69069 * x + 1) & 0xFFFFFFFF
            seeds.append(x)
        super().__init__(seeds[1:], self.N)  # seeds[0] is replaced by the position 624
        self.keep = 0.0

    def unif(self):
        u = self._genrand() * 2.3283064365386963e-10
        if u <= 0.0:
            return 0.5 * 2.328306437080797e-10
        if 1.0 - u <= 0.0:
            return 1.0 - 0.5 * 2.328306437080797e-10
        return u

    def norm(self):
        if self.keep != 0.0:
            s, self.keep = self.keep, 0.0
            return s
        theta = 2 * math.pi * self.unif()
        radius = math.sqrt(-2 * math.log(self.unif())) + 10 * 2.2250738585072014e-308
        self.keep = radius * math.sin(theta)
        return radius * math.cos(theta)

    uniform, normal = unif, norm


class NumpyStream(MT19937):
    """numpy's legacy generator (RandomState) after ``np.random.seed(seed)``.

    Written from numpy's C sources (docs/contract.md section 23): the key
    from MT19937's ``init_genrand``, 53-bit doubles, the polar method with
    its cached second normal, and the Fisher-Yates shuffle with masked
    rejection of ``permutation``.
    """

    def __init__(self, seed):
        key = [seed & 0xFFFFFFFF]
        for i in range(1, self.N):
            prev = key[-1]
            key.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
        super().__init__(key, self.N)
        self.has_gauss = 0
        self.gauss = 0.0

    def random(self):
        a, b = self._genrand() >> 5, self._genrand() >> 6
        return (a * 67108864.0 + b) / 9007199254740992.0

    def standard_normal(self):
        if self.has_gauss:
            z, self.has_gauss, self.gauss = self.gauss, 0, 0.0
            return z
        while True:
            x1 = 2.0 * self.random() - 1.0
            x2 = 2.0 * self.random() - 1.0
            r2 = x1 * x1 + x2 * x2
            if r2 < 1.0 and r2 != 0.0:
                break
        f = math.sqrt(-2.0 * math.log(r2) / r2)
        self.gauss, self.has_gauss = f * x1, 1
        return f * x2

    def interval(self, top):
        """A uniform whole number in 0..top (numpy's random_interval, top < 2^32)."""
        if top == 0:
            return 0
        mask = (1 << top.bit_length()) - 1
        while True:
            v = self._genrand() & mask
            if v <= top:
                return v

    def randn(self, n):
        return [self.standard_normal() for _ in range(n)]

    def rand(self, n):
        return [self.random() for _ in range(n)]

    def permutation(self, n):
        arr = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.interval(i)
            arr[i], arr[j] = arr[j], arr[i]
        return arr

    def state(self):
        """numpy's get_state() fields: key (624 words), pos, has_gauss, gauss."""
        return {"key": list(self.mt), "pos": self.mti, "has_gauss": self.has_gauss, "gauss": self.gauss}

    uniform, normal = random, standard_normal


def stream(name, seed):
    """The reference stream of a name (contract sections 2 and 23), with uniform() and normal()."""
    return {"portable": RStream, "numpy": NumpyStream}[name](seed)


def permutation(u):
    """Stable ascending order of u (0-based)."""
    return sorted(range(len(u)), key=lambda i: (u[i], i))


# ------------------------------------------------------------ linear algebra


def zeros(r, c):
    return [[0.0] * c for _ in range(r)]


def matmul(A, B):
    Bt = list(zip(*B))
    return [[math.fsum(a * b for a, b in zip(row, col)) for col in Bt] for row in A]


def transpose(A):
    return [list(r) for r in zip(*A)]


def elementwise(f, *Ms):
    return [[f(*vals) for vals in zip(*rows)] for rows in zip(*Ms)]


# --------------------------------------------------------------- the network

SLOPE = 0.01


def g(name, z):
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    if name == "relu":
        return z if z > 0 else 0.0
    if name == "tanh":
        return math.tanh(z)
    if name == "leaky_relu":
        return z if z > 0 else SLOPE * z
    raise ValueError(name)


def g_prime(name, z):
    if name == "sigmoid":
        s = g("sigmoid", z)
        return s * (1.0 - s)
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    if name == "tanh":
        return 1.0 - math.tanh(z) ** 2
    if name == "leaky_relu":
        return 1.0 if z > 0 else SLOPE
    raise ValueError(name)


def init(layer_dims, seed, scheme, stream_name="portable"):
    s = stream(stream_name, seed)
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        W = [[s.normal() for _ in range(n_prev)] for _ in range(n)]
        if scheme == "scaled":
            W = [[w * 0.01 for w in r] for r in W]
        elif scheme == "xavier":
            W = [[w / math.sqrt(n_prev) for w in r] for r in W]
        elif scheme == "he":
            f = math.sqrt(2.0 / n_prev)
            W = [[w * f for w in r] for r in W]
        elif scheme == "random":
            W = [[w * 10.0 for w in r] for r in W]
        elif scheme == "zeros":
            W = zeros(n, n_prev)
        elif scheme != "standard":
            raise ValueError(scheme)
        params[f"W{l}"] = W
        params[f"b{l}"] = zeros(n, 1)
    return params


def linear_forward(A_prev, W, b):
    """Z = W A_prev + b (b broadcast over the columns)."""
    return [[z + b[i][0] for z in row] for i, row in enumerate(matmul(W, A_prev))]


def forward(X, params, act):
    return forward_dropout(X, params, act, None, {})


def cost_textbook(AL, Y):
    """The course's cost, -(1/m) sum[y log a + (1 - y) log(1 - a)], for any labels y."""
    return -math.fsum(y * math.log(a) + (1.0 - y) * math.log(1.0 - a) for a, y in zip(AL[0], Y[0])) / len(Y[0])


def cost_sum(ZL, Y):
    """m times the cross-entropy from the logits, via the two softplus forms."""
    terms = []
    for z, y in zip(ZL[0], Y[0]):
        # y = 1: log(1 + e^-z); y = 0: log(1 + e^z); each computed stably.
        t = -z if y == 1 else z
        terms.append(max(t, 0.0) + math.log1p(math.exp(-abs(t))))
    return math.fsum(terms)


def cost(ZL, Y):
    """Cross-entropy from the logits."""
    return cost_sum(ZL, Y) / len(Y[0])


def linear_backward(dZ, A_prev, W):
    """(dA_prev, dW, db) of one linear step (contract section 7)."""
    m = len(A_prev[0])
    dW = [[v / m for v in r] for r in matmul(dZ, transpose(A_prev))]
    db = [[math.fsum(r) / m] for r in dZ]
    return matmul(transpose(W), dZ), dW, db


def backward(X, Y, params, fwd, act):
    L = len(params) // 2
    grads = {}
    dZ = elementwise(lambda a, y: a - y, fwd[f"A{L}"], Y)
    for l in range(L, 0, -1):
        if l < L:
            dZ = elementwise(lambda da, z: da * g_prime(act, z), grads[f"dA{l}"], fwd[f"Z{l}"])
        grads[f"dZ{l}"] = dZ
        A_prev = X if l == 1 else fwd[f"A{l - 1}"]
        dA_prev, grads[f"dW{l}"], grads[f"db{l}"] = linear_backward(dZ, A_prev, params[f"W{l}"])
        if l > 1:
            grads[f"dA{l - 1}"] = dA_prev
    return grads


def update(params, grads, lr):
    return {k: elementwise(lambda p, d: p - lr * d, v, grads["d" + k]) for k, v in params.items()}


def predictions(AL):
    return [[1 if a > 0.5 else 0 for a in AL[0]]]


def train(X, Y, layer_dims, lr, iterations, seed, act, scheme, stream_name="portable", params=None,
          textbook=False):
    """Costs of every iteration (before its update), and the final parameters.

    ``params``, when given, are the initial parameters (instead of drawing
    them); ``textbook`` records the course's cost from A_L (for labels that
    are not 0/1) instead of the contract's from Z_L.
    """
    if params is None:
        params = init(layer_dims, seed, scheme, stream_name)
    L = len(layer_dims) - 1
    costs = []
    for _ in range(iterations):
        fwd = forward(X, params, act)
        costs.append(cost_textbook(fwd[f"A{L}"], Y) if textbook else cost(fwd[f"Z{L}"], Y))
        params = update(params, backward(X, Y, params, fwd, act), lr)
    return costs, params


def circles(n, noise, factor, seed, stream_name="portable"):
    s = stream(stream_name, seed)
    u = [s.uniform() for _ in range(n)]
    e = [s.normal() for _ in range(2 * n)]
    n_out, n_in = n // 2, n - n // 2
    pts = [(math.cos(2 * math.pi * i / n_out), math.sin(2 * math.pi * i / n_out), 0) for i in range(n_out)]
    pts += [(factor * math.cos(2 * math.pi * j / n_in), factor * math.sin(2 * math.pi * j / n_in), 1)
            for j in range(n_in)]
    perm = permutation(u)
    X = [[pts[perm[k]][0] + noise * e[k] for k in range(n)],
         [pts[perm[k]][1] + noise * e[n + k] for k in range(n)]]
    return X, [[float(pts[perm[k]][2]) for k in range(n)]]


# ------------------------------------- the course's second part (contract sections 31 to 37)


def l2_sum(params):
    """sum over the weight matrices of their squared entries (exact sum)."""
    L = len(params) // 2
    return math.fsum(w * w for l in range(1, L + 1) for row in params[f"W{l}"] for w in row)


def l2_cost(params, lambd, m):
    return (1.0 / m) * (lambd / 2.0) * l2_sum(params)


def draw_masks(s, dims, m, keep):
    """One forward pass's dropout masks from the stream ``s`` (uniforms row by row, D = u < keep_prob)."""
    masks = {}
    for l in range(1, len(dims) - 1):
        if keep[l - 1] < 1.0:
            masks[f"D{l}"] = [[1.0 if s.uniform() < keep[l - 1] else 0.0 for _ in range(m)] for _ in range(dims[l])]
    return masks


def forward_dropout(X, params, act, keep, masks):
    """forward() with inverted dropout: A_l = (A_l * D_l) / keep_prob_l where a mask is given."""
    L = len(params) // 2
    out = {}
    A = X
    for l in range(1, L + 1):
        Z = linear_forward(A, params[f"W{l}"], params[f"b{l}"])
        name = act if l < L else "sigmoid"
        A = elementwise(lambda z: g(name, z), Z)
        if f"D{l}" in masks:
            A = elementwise(lambda a, d: (a * d) / keep[l - 1], A, masks[f"D{l}"])
        out[f"Z{l}"], out[f"A{l}"] = Z, A
    return out


def backward_full(X, Y, params, fwd, act, lambd=0.0, keep=None, masks=None):
    """backward() with L2 (dW + (lambd W) / m) and the dropout masks on dA (dA = (dA * D) / keep_prob)."""
    L = len(params) // 2
    masks = masks or {}
    m = len(X[0])
    grads = {}
    dZ = elementwise(lambda a, y: a - y, fwd[f"A{L}"], Y)
    for l in range(L, 0, -1):
        if l < L:
            dZ = elementwise(lambda da, z: da * g_prime(act, z), grads[f"dA{l}"], fwd[f"Z{l}"])
        A_prev = X if l == 1 else fwd[f"A{l - 1}"]
        dA_prev, dW, db = linear_backward(dZ, A_prev, params[f"W{l}"])
        if lambd > 0:
            dW = elementwise(lambda d, w: d + (lambd * w) / m, dW, params[f"W{l}"])
        grads[f"dW{l}"], grads[f"db{l}"] = dW, db
        if l > 1:
            if f"D{l - 1}" in masks:
                dA_prev = elementwise(lambda da, d: (da * d) / keep[l - 2], dA_prev, masks[f"D{l - 1}"])
            grads[f"dA{l - 1}"] = dA_prev
    return grads


def stream_permutation(stream_name, seed, m):
    """rng_permutation(m, seed, stream), 0-based: the order of uniforms, or numpy's permutation."""
    if stream_name == "numpy":
        return NumpyStream(seed).permutation(m)
    s = RStream(seed)
    return permutation([s.unif() for _ in range(m)])


def mini_batches(X, Y, size, seed, stream_name):
    """The course's random_mini_batches: (permutation, [(X_k, Y_k), ...])."""
    perm = stream_permutation(stream_name, seed, len(X[0]))
    batches = []
    for k in range(0, len(perm), size):
        cols = perm[k:k + size]
        batches.append(([[row[j] for j in cols] for row in X], [[Y[0][j] for j in cols]]))
    return perm, batches


def update_lr(lr0, epoch, rate):
    return lr0 / (1 + rate * epoch)


def schedule_lr_decay(lr0, epoch, rate, interval=1000):
    return lr0 / (1 + rate * (epoch // interval))


def momentum(params, grads, v, beta, lr):
    """The course's update_parameters_with_momentum: (parameters, v)."""
    new_v = {k: elementwise(lambda a, b: beta * a + (1 - beta) * b, x, grads[k]) for k, x in v.items()}
    new_p = {k: elementwise(lambda p, a: p - lr * a, x, new_v["d" + k]) for k, x in params.items()}
    return new_p, new_v


def adam(params, grads, v, s, t, lr, beta1, beta2, eps):
    """The course's update_parameters_with_adam: (parameters, v, s, v_corrected, s_corrected)."""
    c1, c2 = 1.0 - beta1 ** t, 1.0 - beta2 ** t
    new_v = {k: elementwise(lambda a, b: beta1 * a + (1 - beta1) * b, x, grads[k]) for k, x in v.items()}
    new_s = {k: elementwise(lambda a, b: beta2 * a + (1 - beta2) * (b * b), x, grads[k]) for k, x in s.items()}
    vc = {k: elementwise(lambda a: a / c1, x) for k, x in new_v.items()}
    sc = {k: elementwise(lambda a: a / c2, x) for k, x in new_s.items()}
    new_p = {k: elementwise(lambda p, a, b: p - lr * a / (math.sqrt(b) + eps), x, vc["d" + k], sc["d" + k])
             for k, x in params.items()}
    return new_p, new_v, new_s, vc, sc


def train_options(X, Y, layer_dims, lr0, epochs, seed, act, scheme, stream_name, o, params=None):
    """L_layer_model's optimiser path (contract section 36): (epoch costs, final parameters).

    ``o``: lambd, keep_prob (one per hidden layer), mini_batch_size (None: the full batch in column order),
    optimizer, beta, beta1, beta2, epsilon, decay (None or a name), decay_rate, time_interval,
    mini_batch_seed, dropout_seed.
    """
    if params is None:
        params = init(layer_dims, seed, scheme, stream_name)
    keep = o["keep_prob"]
    draws = stream(stream_name, o["dropout_seed"]) if any(k < 1.0 for k in keep) else None
    zero = {"d" + k: zeros(len(x), len(x[0])) for k, x in params.items()}
    v, s2, t = dict(zero), dict(zero), 0
    m = len(X[0])
    costs = []
    for epoch in range(epochs):
        lr = lr0
        if o["decay"] is not None and epoch > 0:
            rule = update_lr if o["decay"] == "update_lr" else schedule_lr_decay
            lr = rule(lr0, epoch - 1, o["decay_rate"]) if rule is update_lr else \
                rule(lr0, epoch - 1, o["decay_rate"], o["time_interval"])
        if o["mini_batch_size"] is None:
            batches = [(X, Y)]
        else:
            seed_e = (o["mini_batch_seed"] + epoch + 1) % 2**31
            batches = mini_batches(X, Y, o["mini_batch_size"], seed_e, stream_name)[1]
        total = []
        for Xb, Yb in batches:
            mb = len(Xb[0])
            masks = draw_masks(draws, layer_dims, mb, keep) if draws is not None else {}
            fwd = forward_dropout(Xb, params, act, keep, masks)
            L = len(layer_dims) - 1
            total.append(cost_sum(fwd[f"Z{L}"], Yb))
            if o["lambd"] > 0:
                total.append((o["lambd"] / 2.0) * l2_sum(params))
            grads = backward_full(Xb, Yb, params, fwd, act, o["lambd"], keep, masks)
            grads = {k: x for k, x in grads.items() if k[:2] in ("dW", "db")}
            if o["optimizer"] == "gd":
                params = update(params, grads, lr)
            elif o["optimizer"] == "momentum":
                params, v = momentum(params, grads, v, o["beta"], lr)
            else:
                t += 1
                params, v, s2, _, _ = adam(params, grads, v, s2, t, lr, o["beta1"], o["beta2"], o["epsilon"])
        costs.append(math.fsum(total) / m)
    return costs, params


def linspace_pi(k):
    """numpy's linspace(0, pi, k)."""
    if k == 1:
        return [0.0]
    return [i * (math.pi / (k - 1)) for i in range(k - 1)] + [math.pi]


def moons(n, noise, seed, stream_name="portable"):
    """scikit-learn's make_moons from the stream (contract section 37)."""
    n_out, n_in = n // 2, n - n // 2
    pts = [(math.cos(t), math.sin(t), 0) for t in linspace_pi(n_out)]
    pts += [(1 - math.cos(t), 1 - math.sin(t) - 0.5, 1) for t in linspace_pi(n_in)]
    if stream_name == "numpy":
        s = NumpyStream(seed)
        perm = s.permutation(n)
        e = s.randn(2 * n)
    else:
        s = RStream(seed)
        u = [s.unif() for _ in range(n)]
        perm = permutation(u)
        e = [s.norm() for _ in range(2 * n)]
    X = [[pts[perm[k]][0] + noise * e[2 * k] for k in range(n)],
         [pts[perm[k]][1] + noise * e[2 * k + 1] for k in range(n)]]
    return X, [[float(pts[perm[k]][2]) for k in range(n)]]
