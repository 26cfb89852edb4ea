"""An independent, deliberately plain reference for the fixtures.

Pure Python (no numpy, no twinnet): lists of lists, loops, the ``math``
module and ``math.fsum`` (correctly rounded sums, so the results do not depend
on a BLAS and are the same on every machine). It re-implements
docs/contract.md from the text -- including R's Mersenne-Twister seeding and
the Box-Muller normals, in a plain MT19937 loop -- so that the fixtures check
the Python package and the R package against a third implementation instead
of against themselves. Slow on purpose; only for small cases.
"""

import math

# ---------------------------------------------------------------- the stream


class RStream:
    """R's Mersenne-Twister after ``set.seed(seed)``, with Box-Muller normals."""

    N, M = 624, 397

    def __init__(self, seed):
        x = seed & 0xFFFFFFFF
        for _ in range(50):
            x = (69069 * x + 1) & 0xFFFFFFFF
        seeds = []
        for _ in range(625):
            x = (69069 * x + 1) & 0xFFFFFFFF
            seeds.append(x)
        self.mt = seeds[1:]
        self.mti = self.N  # seeds[0] is replaced by the position 624
        self.keep = 0.0

    def _genrand(self):
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


def init(layer_dims, seed, scheme):
    s = RStream(seed)
    params = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        W = [[s.norm() for _ in range(n_prev)] for _ in range(n)]
        if scheme == "scaled":
            W = [[w * 0.01 for w in r] for r in W]
        elif scheme == "xavier":
            W = [[w / math.sqrt(n_prev) for w in r] for r in W]
        elif scheme == "he":
            f = math.sqrt(2.0 / n_prev)
            W = [[w * f for w in r] for r in W]
        elif scheme != "standard":
            raise ValueError(scheme)
        params[f"W{l}"] = W
        params[f"b{l}"] = zeros(n, 1)
    return params


def forward(X, params, act):
    L = len(params) // 2
    out = {}
    A = X
    for l in range(1, L + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        Z = [[z + b[i][0] for z in row] for i, row in enumerate(matmul(W, A))]
        name = act if l < L else "sigmoid"
        A = elementwise(lambda z: g(name, z), Z)
        out[f"Z{l}"], out[f"A{l}"] = Z, A
    return out


def cost(ZL, Y):
    """Cross-entropy from the logits, via the two softplus forms."""
    terms = []
    for z, y in zip(ZL[0], Y[0]):
        # y = 1: log(1 + e^-z); y = 0: log(1 + e^z); each computed stably.
        t = -z if y == 1 else z
        terms.append(max(t, 0.0) + math.log1p(math.exp(-abs(t))))
    return math.fsum(terms) / len(terms)


def backward(X, Y, params, fwd, act):
    L = len(params) // 2
    m = len(X[0])
    grads = {}
    dZ = elementwise(lambda a, y: a - y, fwd[f"A{L}"], Y)
    for l in range(L, 0, -1):
        if l < L:
            dZ = elementwise(lambda da, z: da * g_prime(act, z), grads[f"dA{l}"], fwd[f"Z{l}"])
        grads[f"dZ{l}"] = dZ
        A_prev = X if l == 1 else fwd[f"A{l - 1}"]
        grads[f"dW{l}"] = [[v / m for v in r] for r in matmul(dZ, transpose(A_prev))]
        grads[f"db{l}"] = [[math.fsum(r) / m] for r in dZ]
        if l > 1:
            grads[f"dA{l - 1}"] = matmul(transpose(params[f"W{l}"]), dZ)
    return grads


def update(params, grads, lr):
    return {k: elementwise(lambda p, d: p - lr * d, v, grads["d" + k]) for k, v in params.items()}


def predictions(AL):
    return [[1 if a > 0.5 else 0 for a in AL[0]]]


def train(X, Y, layer_dims, lr, iterations, seed, act, scheme):
    """Costs of every iteration (before its update), and the final parameters."""
    params = init(layer_dims, seed, scheme)
    L = len(layer_dims) - 1
    costs = []
    for _ in range(iterations):
        fwd = forward(X, params, act)
        costs.append(cost(fwd[f"Z{L}"], Y))
        params = update(params, backward(X, Y, params, fwd, act), lr)
    return costs, params


def circles(n, noise, factor, seed):
    s = RStream(seed)
    u = [s.unif() for _ in range(n)]
    e = [s.norm() for _ in range(2 * n)]
    n_out, n_in = n // 2, n - n // 2
    pts = [(math.cos(2 * math.pi * i / n_out), math.sin(2 * math.pi * i / n_out), 0) for i in range(n_out)]
    pts += [(factor * math.cos(2 * math.pi * j / n_in), factor * math.sin(2 * math.pi * j / n_in), 1)
            for j in range(n_in)]
    perm = permutation(u)
    X = [[pts[perm[k]][0] + noise * e[k] for k in range(n)],
         [pts[perm[k]][1] + noise * e[n + k] for k in range(n)]]
    return X, [[float(pts[perm[k]][2]) for k in range(n)]]
