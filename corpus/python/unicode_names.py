# Non-ASCII identifiers: Python normalises them to NFKC.
café = 1
naïve_ünïcode = 2
ｆｕｌｌｗｉｄｔｈ = 3  # NFKC: fullwidth
ℌ = 4  # NFKC: H
ﬁle = 5  # NFKC: the ligature is fi
π, τ = 3.14159, 6.28318
def 函数(参数):
    return 参数
class Ωmega:
    ẞ = "sharp s"
print(ℌ, ﬁle, café)
