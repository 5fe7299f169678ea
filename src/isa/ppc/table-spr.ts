// Special-purpose register names objdump prints for mtspr/mfspr (`mtctr r3`, `mfsprg r3,0`), in both modes.
//
// Read off powerpc-linux-gnu-objdump and powerpc64le-linux-gnu-objdump over all 1024 SPR numbers
// (their default dialects agree). A name may exist for one direction only: objdump prints
// `mfpvr` but `mtspr 287,r3`.

/** [SPR number, name, which of mtspr/mfspr objdump spells with it, index operand it prints (`mtsprg 0,r3`)]. */
export type SprName = readonly [spr: number, name: string, dir: 'mt' | 'mf' | 'both', index?: number];

export const SPR_NAMES: readonly SprName[] = [
  [1, 'xer', 'both'], [3, 'udscr', 'both'], [4, 'rtcu', 'mf'], [5, 'rtcl', 'mf'], [8, 'lr', 'both'],
  [9, 'ctr', 'both'], [13, 'uamr', 'both'], [17, 'dscr', 'both'], [18, 'dsisr', 'both'], [19, 'dar', 'both'],
  [20, 'rtcu', 'mt'], [21, 'rtcl', 'mt'], [22, 'dec', 'both'], [25, 'sdr1', 'both'], [26, 'srr0', 'both'],
  [27, 'srr1', 'both'], [28, 'cfar', 'both'], [29, 'amr', 'both'], [48, 'pidr', 'both'], [61, 'iamr', 'both'],
  [128, 'tfhar', 'mt'], [129, 'tfiar', 'mt'], [130, 'texasr', 'mt'], [131, 'texasru', 'mt'], [136, 'ctrl', 'mf'],
  [152, 'ctrl', 'mt'], [153, 'fscr', 'both'], [157, 'uamor', 'both'], [159, 'pspb', 'both'], [176, 'dpdes', 'both'],
  [180, 'dawr0', 'both'], [181, 'dawr1', 'both'], [186, 'rpr', 'both'], [187, 'ciabr', 'both'],
  [188, 'dawrx0', 'both'], [189, 'dawrx1', 'both'], [190, 'hfscr', 'both'], [256, 'vrsave', 'both'],
  [259, 'usprg3', 'mf'], [268, 'tb', 'mf'], [269, 'tbu', 'mf'], [272, 'sprg', 'both', 0], [273, 'sprg', 'both', 1],
  [274, 'sprg', 'both', 2], [275, 'sprg', 'both', 3], [280, 'asr', 'both'], [282, 'ear', 'both'], [284, 'tbl', 'mt'],
  [285, 'tbu', 'mt'], [286, 'tbu40', 'mt'], [287, 'pvr', 'mf'], [304, 'hsprg0', 'both'], [305, 'hsprg1', 'both'],
  [306, 'hdisr', 'both'], [307, 'hdar', 'both'], [308, 'spurr', 'both'], [309, 'purr', 'both'],
  [310, 'hdec', 'both'], [313, 'hrmor', 'both'], [314, 'hsrr0', 'both'], [315, 'hsrr1', 'both'],
  [318, 'lpcr', 'both'], [319, 'lpidr', 'both'], [336, 'hmer', 'both'], [337, 'hmeer', 'both'], [338, 'pcr', 'both'],
  [339, 'heir', 'both'], [349, 'amor', 'both'], [446, 'tir', 'mf'], [464, 'ptcr', 'both'], [496, 'usprg0', 'both'],
  [497, 'usprg1', 'both'], [505, 'urmor', 'both'], [506, 'usrr0', 'both'], [507, 'usrr1', 'both'],
  [511, 'smfctrl', 'both'], [528, 'ibatu', 'both', 0], [529, 'ibatl', 'both', 0], [530, 'ibatu', 'both', 1],
  [531, 'ibatl', 'both', 1], [532, 'ibatu', 'both', 2], [533, 'ibatl', 'both', 2], [534, 'ibatu', 'both', 3],
  [535, 'ibatl', 'both', 3], [536, 'dbatu', 'both', 0], [537, 'dbatl', 'both', 0], [538, 'dbatu', 'both', 1],
  [539, 'dbatl', 'both', 1], [540, 'dbatu', 'both', 2], [541, 'dbatl', 'both', 2], [542, 'dbatu', 'both', 3],
  [543, 'dbatl', 'both', 3], [736, 'usier2', 'mf'], [737, 'usier3', 'mf'], [738, 'ummcr3', 'mf'],
  [752, 'sier2', 'mt'], [753, 'sier3', 'mt'], [754, 'mmcr3', 'mt'], [768, 'usier', 'mf'], [769, 'ummcr2', 'both'],
  [770, 'ummcra', 'both'], [771, 'upmc1', 'both'], [772, 'upmc2', 'both'], [773, 'upmc3', 'both'],
  [774, 'upmc4', 'both'], [775, 'upmc5', 'both'], [776, 'upmc6', 'both'], [779, 'ummcr0', 'both'],
  [780, 'usiar', 'mf'], [781, 'usdar', 'mf'], [782, 'ummcr1', 'mf'], [784, 'sier', 'mt'], [786, 'mmcra', 'mt'],
  [787, 'pmc1', 'mt'], [788, 'pmc2', 'mt'], [789, 'pmc3', 'mt'], [790, 'pmc4', 'mt'], [791, 'pmc5', 'mt'],
  [792, 'pmc6', 'mt'], [795, 'mmcr0', 'mt'], [796, 'siar', 'mt'], [797, 'sdar', 'mt'], [798, 'mmcr1', 'mt'],
  [800, 'bescrs', 'both'], [801, 'bescrsu', 'both'], [802, 'bescrr', 'both'], [803, 'bescrru', 'both'],
  [804, 'ebbhr', 'both'], [805, 'ebbrr', 'both'], [806, 'bescr', 'both'], [815, 'tar', 'both'],
  [816, 'asdr', 'both'], [823, 'psscr', 'both'], [848, 'ic', 'both'], [849, 'vtb', 'both'], [855, 'hpsscr', 'both'],
  [896, 'ppr', 'both'], [898, 'ppr32', 'both'], [1023, 'pir', 'mf'],
];

/**
 * The mt/mf mnemonics GNU as accepts, with the modes it accepts them in (checked one by one). Others
 * in SPR_NAMES are printed but not assembled (GNU takes some only with a -mcpu; `mftb` is another
 * instruction on ppc32).
 */
export const SPR_MNEMONICS_FOR_ASM: Readonly<Record<string, 'both' | '64'>> = {
  mtxer: 'both', mfxer: 'both', mtlr: 'both', mflr: 'both', mtctr: 'both', mfctr: 'both',
  mtdsisr: 'both', mfdsisr: 'both', mtdar: 'both', mfdar: 'both', mtdec: 'both', mfdec: 'both',
  mtsdr1: 'both', mfsdr1: 'both', mtsrr0: 'both', mfsrr0: 'both', mtsrr1: 'both', mfsrr1: 'both',
  mtear: 'both', mfear: 'both', mfpvr: 'both', mttbl: 'both', mttbu: 'both',
  mtvrsave: '64', mfvrsave: '64', mtamr: '64', mfamr: '64', mtcfar: '64', mfcfar: '64', mtdscr: '64', mfdscr: '64',
};
